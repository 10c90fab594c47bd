# DBNet on CLIP's RN50 trained on Table 9's joint data (IC13, IC15, TD, CTW, TT, MLT17) and
# tested on NightTime-ArT, with polygon output (its text is curved). The paper gives no schedule:
# this keeps the TCM fine-tuning recipe and its number of iterations on ICDAR2015 (1200 epochs
# of 1,000 images, i.e. 87 epochs of 13,784) and MMOCR's DBNet post-processing. The baseline of
# tcm-dbnet_clip-r50_fpnc_1200e_joint-to-nighttime-art.py.
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/joint.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(det_head=dict(postprocessor=dict(text_repr_type='poly')))

train_cfg = dict(max_epochs=87, val_interval=87)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=87)]
train_dataloader = dict(dataset=dict(_base_.joint_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    dataset=dict(_base_.nighttime_art_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=10))
