# The fine-tuning schedule of the released TCM models, shared by every TCM config and its
# baseline: 1200 epochs of poly decay to 1e-7, batch 16 on one GPU, the CLIP image encoder at
# 0.1x the learning rate, no weight decay on the norms of TCM's decoders (the text encoder is
# frozen). Adam 1e-4 (ICDAR2015); families and datasets swap the optimizer and the length.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(
        custom_keys=dict(backbone=dict(lr_mult=0.1), norm=dict(decay_mult=0.0))))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1200, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1200)]
auto_scale_lr = dict(base_batch_size=16)

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
