# PANet on CLIP's RN50 on CTW1500 with the original TCM-PANet's settings: its CTW1500 fine-tune
# reused the ICDAR2015 config (736 px crops, kernels shrunk to 0.5, test at (1333, 736)) with a
# 640 px positional grid and polygon output. The baseline of
# tcm-panet_clip-r50_fpem-ffm_1200e_ctw1500.py.
_base_ = [
    '_base_panet_clip-r50_fpem-ffm.py',
    '../_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    backbone=dict(input_resolution=640),
    det_head=dict(postprocessor=dict(text_repr_type='poly')))

train_dataloader = dict(dataset=dict(_base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.ctw1500_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='HmeanIOUMetric', pred_score_thrs=dict(start=0.3, stop=1, step=0.05))
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
