# oCLIP RN50 pre-trained on SynthText's images and their words (no boxes), as the original's
# README: 100 epochs at 4 GPUs x 64, AdamW (lr 1e-4, weight decay 0.1 except norms, biases and
# the temperature), 10k iterations of linear warm-up then cosine to zero per iteration, AMP on
# GPUs (--amp). Words come from data/oclip/synthtext/train_words.tsv (written by
# tools/dataset_converters/synthtext_to_oclip.py) with images under data/oclip/synthtext.
_base_ = ['_base_oclip_rn50.py']

default_scope = 'mmocr'
__data = 'data/oclip/synthtext'

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='TorchVisionWrapper',
        op='RandomResizedCrop',
        size=512,
        scale=(0.95, 1.0),
        interpolation=3),  # bicubic
    dict(type='OCLIPTokenize', dict_file=_base_.dict_file),
    dict(type='PackOCLIPInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='OCLIPWordsDataset',
        data_root=__data,
        ann_file='train_words.tsv',
        data_prefix=dict(img_path=''),
        dict_file=_base_.dict_file,
        pipeline=train_pipeline))

__epochs = 100
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=__epochs)
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
# The original's rule: no weight decay where the name holds bn, ln, bias or logit_scale.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1),
    paramwise_cfg=dict(
        custom_keys={k: dict(decay_mult=0.0)
                     for k in ('bn', 'ln', 'bias', 'logit_scale')}))
param_scheduler = [
    dict(
        type='WarmupCosineLR',
        warmup_iters=10000,
        by_epoch=True,
        begin=0,
        end=__epochs,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(base_batch_size=4 * 64)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=3),
    sampler_seed=dict(type='DistSamplerSeedHook'))
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
