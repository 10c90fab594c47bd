# FCENet on CLIP's RN50 on Total-Text: MMOCR's own FCENet Total-Text config (polygon repair,
# test scale, SGD with step decay, batch 16) with CLIP's image encoder. The baseline of
# tcm-fcenet_clip-r50_fpn_1500e_totaltext.py; the original released no TCM-FCENet config for it.
_base_ = [
    '_base_fcenet_clip-r50_fpn.py',
    '../_base_/datasets/totaltext.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(val_interval=20)
param_scheduler = [dict(type='StepLR', gamma=0.8, step_size=200, end=1200)]
find_unused_parameters = True

train_pipeline = _base_.train_pipeline
train_pipeline.insert(2, dict(type='FixInvalidPolygon'))
test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(1280, 960), keep_ratio=True)
test_pipeline.insert(3, dict(type='FixInvalidPolygon'))

train_dataloader = dict(
    num_workers=16,
    pin_memory=True,
    dataset=dict(_base_.totaltext_textdet_train, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=1,
    pin_memory=True,
    dataset=dict(_base_.totaltext_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(
    checkpoint=dict(_delete_=True, type='CheckpointHook', save_best='icdar/hmean', rule='greater'))
