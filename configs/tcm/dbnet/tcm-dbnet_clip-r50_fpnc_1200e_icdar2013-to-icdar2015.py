# Domain adaptation ICDAR2013 -> icdar2015: the icdar2015 TCM-DBNet config (schedule, test scale,
# post-processing) trained on ICDAR2013 instead.
_base_ = [
    'tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py',
    '../_base_/datasets/icdar2013.py',
]

icdar2013_textdet_train = _base_.icdar2013_textdet_train
icdar2013_textdet_train.pipeline = _base_.train_pipeline
train_dataloader = dict(dataset=icdar2013_textdet_train)
