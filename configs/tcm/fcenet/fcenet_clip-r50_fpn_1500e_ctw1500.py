# FCENet on CLIP's RN50 on CTW1500: MMOCR's own FCENet CTW1500 config (level ranges, polygon
# post-processing, test scale, SGD schedule, batch 8) with CLIP's image encoder. The baseline of
# tcm-fcenet_clip-r50_fpn_1500e_ctw1500.py; the original released no TCM-FCENet config for it.
_base_ = [
    '_base_fcenet_clip-r50_fpn.py',
    '../_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        module_loss=dict(level_proportion_range=((0, 0.25), (0.2, 0.65), (0.55, 1.0))),
        postprocessor=dict(text_repr_type='poly', alpha=1.0, beta=2.0)))

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(val_interval=20)
auto_scale_lr = dict(base_batch_size=8)

test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(1080, 736), keep_ratio=True)

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    dataset=dict(_base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    num_workers=1, dataset=dict(_base_.ctw1500_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader
