# FCENet on CLIP's RN50 on MSRA-TD500 (Table 1's TD column) with the ICDAR2015 settings, whose
# multi-oriented lines TD500's resemble (HUST-TR400 joins training when the converter added it).
# The baseline of tcm-fcenet_clip-r50_fpn_1500e_td500.py; the original released no TCM-FCENet
# TD500 config.
_base_ = [
    '_base_fcenet_clip-r50_fpn.py',
    '../_base_/datasets/td500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

train_dataloader = dict(dataset=dict(_base_.td500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.td500_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
