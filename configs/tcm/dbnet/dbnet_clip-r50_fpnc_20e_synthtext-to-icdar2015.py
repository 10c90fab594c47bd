# Domain adaptation SynthText -> ICDAR2015 (DBNet on CLIP's RN50): trained on SynthText only
# with the pre-train schedule (Ranger 1e-3, 20 epochs), tested on ICDAR2015 with its settings.
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015.py', '../_base_/datasets/synthtext.py']

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=20, val_interval=1)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=20)]
default_hooks = dict(checkpoint=dict(interval=1))

train_dataloader = dict(
    dataset=dict(_base_.synthtext_textdet_train, pipeline=_base_.train_pipeline))
