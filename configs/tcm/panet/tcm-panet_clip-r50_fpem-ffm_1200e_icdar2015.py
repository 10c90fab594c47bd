# TCM-PANet (CLIP RN50, 4 learnable prompts) on ICDAR2015, batch 16, as the original.
_base_ = [
    '_base_tcm-panet_clip-r50_fpem-ffm.py',
    '../_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

icdar2015_textdet_train = _base_.icdar2015_textdet_train
icdar2015_textdet_train.pipeline = _base_.train_pipeline
icdar2015_textdet_test = _base_.icdar2015_textdet_test
icdar2015_textdet_test.pipeline = _base_.test_pipeline

train_dataloader = dict(dataset=icdar2015_textdet_train)
val_dataloader = dict(dataset=icdar2015_textdet_test)
test_dataloader = val_dataloader

# PANet's scores are confidences in [0.5, 1]: sweep thresholds finely, as MMOCR's PANet does.
val_evaluator = dict(
    type='HmeanIOUMetric', pred_score_thrs=dict(start=0.3, stop=1, step=0.05))
test_evaluator = val_evaluator
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook', interval=300, save_best='icdar/hmean', rule='greater'))
