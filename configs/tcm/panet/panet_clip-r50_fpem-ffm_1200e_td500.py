# PANet on CLIP's RN50 on MSRA-TD500 (Table 1's TD column) with the ICDAR2015 settings (HUST-TR400
# joins training when the converter added it). The baseline of
# tcm-panet_clip-r50_fpem-ffm_1200e_td500.py; the original released no TCM-PANet TD500 config.
_base_ = [
    '_base_panet_clip-r50_fpem-ffm.py',
    '../_base_/datasets/td500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

train_dataloader = dict(dataset=dict(_base_.td500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.td500_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='HmeanIOUMetric', pred_score_thrs=dict(start=0.3, stop=1, step=0.05))
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
