# PANet on CLIP's RN50 on ICDAR2015, batch 16, with the original TCM-PANet's settings: the
# baseline of tcm-panet_clip-r50_fpem-ffm_1200e_icdar2015.py.
_base_ = [
    '_base_panet_clip-r50_fpem-ffm.py',
    '../_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

train_dataloader = dict(
    dataset=dict(_base_.icdar2015_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.icdar2015_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

# PANet's scores are confidences in [0.5, 1]: sweep thresholds finely, as MMOCR's PANet does.
val_evaluator = dict(type='HmeanIOUMetric', pred_score_thrs=dict(start=0.3, stop=1, step=0.05))
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
