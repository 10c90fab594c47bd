# DBNet on CLIP's RN50 pre-trained for detection on SynthText plus the ICDAR2015, CTW1500 and
# Total-Text training sets, as the original TCM's pre-train: Ranger 1e-3, 20 epochs, 20 images
# per GPU on 8 GPUs (auto_scale_lr scales the rate to other batches), no evaluation. The
# baseline of tcm-dbnet_clip-r50_fpnc_20e_synthtext-real.py.
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/datasets/ctw1500.py',
    '../_base_/datasets/totaltext.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            mask_thr=0.3,
            min_text_score=0.3,
            min_text_width=5,
            unclip_ratio=1.5,
            epsilon_ratio=0.01,
            max_candidates=3000)))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=20, val_interval=21)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=20)]
auto_scale_lr = dict(base_batch_size=160)

train_list = [
    _base_.synthtext_textdet_train, _base_.icdar2015_textdet_train,
    _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train
]
train_dataloader = dict(
    batch_size=20,
    dataset=dict(type='ConcatDataset', datasets=train_list, pipeline=_base_.train_pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=1))
# The original pre-trained on 8 GPUs with synchronised BatchNorm (used when distributed on GPUs).
sync_bn = 'torch'
