# DBNet on a tiny, randomly initialised CLIP ResNet on tcm's synthetic toy set: the baseline of
# tcm-dbnet_clip-tiny_fpnc_toy.py (tcm's main job), trained and tested in minutes on 2 CPU
# cores. Make the data first: python tools/dataset_converters/make_toy_dataset.py data/toy
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/toy.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    backbone=dict(layers=[1, 1, 1, 1], width=16, heads=4, output_dim=64, input_resolution=256),
    neck=dict(in_channels=[64, 128, 256, 512], lateral_channels=64, out_channels=16),
    det_head=dict(in_channels=64))

# DBNet's pipelines at 256 px, without its augmentations.
train_pipeline = _base_.train_pipeline[:3] + [
    dict(type='Resize', scale=(256, 256), keep_ratio=True),
    dict(type='Pad', size=(256, 256)), _base_.train_pipeline[-1]
]
test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(256, 256), keep_ratio=True)

train_dataloader = dict(
    batch_size=8, num_workers=1, dataset=dict(_base_.toy_textdet_train, pipeline=train_pipeline))
val_dataloader = dict(num_workers=1, dataset=dict(_base_.toy_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader

# From scratch: every module at the base learning rate.
max_epochs = 12
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=2e-3, weight_decay=0), paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-5, end=max_epochs)]
randomness = dict(seed=0)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(type='CheckpointHook', interval=max_epochs))
