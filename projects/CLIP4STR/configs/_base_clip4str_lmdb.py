# CLIP4STR's data, evaluation and schedule (any variant): PARSeq's LMDB release (baudm/parseq
# Datasets.md) under data/clip4str, i.e. train/real, train/synth/{MJ,ST}, val and
# test/<benchmark>; every LMDB under a training folder is read, labels filtered as the original
# (whitespace, NFKD to ASCII, at most 25 characters, the 94-character charset; the 36 lowercase
# alphanumerics for validation and test). Training on B: 8 GPUs x 128 = 1024, AdamW at
# 8.4e-5 x 1024 / 512 (19x for the decoders), one cycle with 7.5 % warm-up, clipped at 20.
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

__data = 'data/clip4str'
__charset_94 = ('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
                '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
__charset_36 = '0123456789abcdefghijklmnopqrstuvwxyz'
# The original's test.py: the reduced and the full IC13 / IC15 sets beside the others.
__benchmarks = [
    'IIIT5k', 'SVT', 'IC13_857', 'IC13_1015', 'IC15_1811', 'IC15_2077', 'SVTP', 'CUTE80'
]

__resize = dict(
    type='Resize', scale=(224, 224), keep_ratio=False, backend='pillow', interpolation='bicubic')
__text = dict(type='LoadOCRAnnotations', with_text=True)
__pack = dict(
    type='PackTextRecogInputs',
    meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio', 'empty_crop'))
# Files (MMOCR's JSON datasets, the inferencers) and LMDB records (decoded images). A crop with
# no pixels is skipped in training and read as '' with score 0 in testing.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GuardEmptyCrop', test_mode=False), __text,
    dict(type='CLIP4STRRandAugment'), __resize, __pack
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GuardEmptyCrop'), __resize, __text, __pack
]
lmdb_train_pipeline = [dict(type='LoadImageFromNDArray')] + train_pipeline[1:]
lmdb_test_pipeline = [dict(type='LoadImageFromNDArray')] + test_pipeline[1:]

real_train = dict(
    type='LMDBTreeDataset',
    data_root=__data + '/train/real',
    charset=__charset_94,
    pipeline=lmdb_train_pipeline)
mjst_train = dict(real_train, data_root=__data + '/train/synth')

train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=real_train)
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='LMDBTreeDataset',
        data_root=__data + '/val',
        charset=__charset_36,
        pipeline=lmdb_test_pipeline,
        test_mode=True))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='FilteredRecogLMDBDataset',
                ann_file=f'{__data}/test/{name}',
                charset=__charset_36,
                test_mode=True) for name in __benchmarks
        ],
        pipeline=lmdb_test_pipeline))

# 'ignore_case_symbol' is the accuracy the paper reports (the 36-character comparison).
__metrics = [
    dict(
        type='WordMetric',
        mode=['exact', 'ignore_case', 'ignore_case_symbol'],
        valid_symbol='[^A-Za-z0-9]'),
    dict(type='OneMinusNEDMetric', valid_symbol='[^A-Za-z0-9]')
]
val_evaluator = dict(_delete_=True, type='Evaluator', metrics=__metrics)
test_evaluator = dict(
    _delete_=True, type='MultiDatasetsEvaluator', metrics=__metrics, dataset_prefixes=__benchmarks)

# --amp trains in float16, as the original (AmpOptimWrapper keeps clip_grad).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=8.4e-5 * 1024 / 512, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2),
    clip_grad=dict(max_norm=20),
    constructor='CLIP4STROptimWrapperConstructor',
    paramwise_cfg=dict(decoder_lr_mult=19.0))
# Recipes set max_epochs, and end to the same number.
param_scheduler = [
    dict(
        type='GroupOneCycleLR',
        pct_start=0.075,
        by_epoch=True,
        convert_to_iter_based=True,
        begin=0,
        end=16)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
auto_scale_lr = dict(base_batch_size=1024)
