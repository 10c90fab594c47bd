# TCM-DBNet with a tiny, randomly initialised CLIP on tcm's synthetic toy set: the main
# job (tools/toy_demo.sh) that trains and tests in minutes on 2 CPU cores.
# Make the data first: python tools/dataset_converters/make_toy_dataset.py data/toy
_base_ = [
    '_base_tcm-dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/toy.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    backbone=dict(
        layers=[1, 1, 1, 1], width=16, heads=4, output_dim=64, input_resolution=256),
    text_encoder=dict(width=64, heads=2, layers=2, embed_dim=64),
    prompt_generator=dict(visual_dim=64, token_embed_dim=64),
    visual_prompt_generator=dict(
        transformer_width=32, transformer_heads=2, transformer_layers=2, visual_dim=64),
    context_decoder=dict(
        transformer_width=32, transformer_heads=2, transformer_layers=2, visual_dim=64),
    neck=dict(in_channels=[64, 128, 256, 512 + 1], lateral_channels=64, out_channels=16),
    det_head=dict(in_channels=64))

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_bbox=True,
        with_polygon=True,
        with_label=True),
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=32.0 / 255,
        saturation=0.5),
    dict(type='Resize', scale=(256, 256), keep_ratio=True),
    dict(type='Pad', size=(256, 256)),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(256, 256), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

toy_textdet_train = _base_.toy_textdet_train
toy_textdet_train.pipeline = train_pipeline
toy_textdet_test = _base_.toy_textdet_test
toy_textdet_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=toy_textdet_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=toy_textdet_test)
test_dataloader = val_dataloader

# From scratch: every module at the base learning rate.
max_epochs = 12
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=2e-3, weight_decay=0),
    paramwise_cfg=dict(_delete_=True))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-5, end=max_epochs)]
randomness = dict(seed=0)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(type='CheckpointHook', interval=max_epochs))
