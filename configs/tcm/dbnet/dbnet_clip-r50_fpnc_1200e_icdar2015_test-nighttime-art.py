# Baseline for tcm-dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py:
# the same DBNet, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py']

model = dict(
    _delete_=True,
    type='DBNet',
    backbone=_base_.dbnet_clip_r50.backbone,
    neck=_base_.dbnet_clip_r50.neck,
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
