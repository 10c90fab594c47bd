# DBNet on CLIP's RN50 fine-tuned on ICDAR2015 with the settings of the released 88.8 hmean
# TCM-DBNet model (Adam 1e-4, test short side 1024, tuned post-processing): the baseline of
# tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py.
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            mask_thr=0.28,
            min_text_score=0.2,
            min_text_width=2,
            unclip_ratio=1.6,
            epsilon_ratio=0.001,
            max_candidates=3000)))

train_dataloader = dict(
    dataset=dict(_base_.icdar2015_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.icdar2015_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
