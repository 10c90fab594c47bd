# Domain adaptation ICDAR2013 -> ICDAR2015 (DBNet on CLIP's RN50): the ICDAR2015 config
# (schedule, test scale, post-processing) trained on ICDAR2013 instead.
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015.py', '../_base_/datasets/icdar2013.py']

train_dataloader = dict(
    dataset=dict(_base_.icdar2013_textdet_train, pipeline=_base_.train_pipeline))
