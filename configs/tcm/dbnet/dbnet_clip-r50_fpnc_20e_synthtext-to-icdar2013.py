# Domain adaptation SynthText -> ICDAR2013 (DBNet on CLIP's RN50): trained on SynthText only
# with the pre-train schedule (Ranger 1e-3, 20 epochs), tested on ICDAR2013 with the
# ICDAR2015 test settings (short side 1024, tuned post-processing).
_base_ = [
    'dbnet_clip-r50_fpnc_1200e_icdar2015.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/datasets/icdar2013.py',
]

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=20, val_interval=1)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=20)]
default_hooks = dict(checkpoint=dict(interval=1))

train_dataloader = dict(
    dataset=dict(_base_.synthtext_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.icdar2013_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
