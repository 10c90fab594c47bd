# FCENet on CLIP's RN50 trained on Table 9's joint data and tested on NightTime-ArT (polygon
# output) at the iterations of 1500 epochs of ICDAR2015's 1,000 images (109 epochs of 13,784).
# Table 9 has no TCM-FCENet row; the TCM config beside it completes the pair.
_base_ = [
    '_base_fcenet_clip-r50_fpn.py',
    '../_base_/datasets/joint.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(det_head=dict(postprocessor=dict(text_repr_type='poly')))

train_cfg = dict(max_epochs=109, val_interval=109)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=109)]
train_dataloader = dict(dataset=dict(_base_.joint_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    dataset=dict(_base_.nighttime_art_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=10))
