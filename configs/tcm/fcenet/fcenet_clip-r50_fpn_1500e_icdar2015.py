# Baseline for tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py:
# the same FCENet, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py']

model = dict(
    _delete_=True,
    type='FCENet',
    backbone=_base_.fcenet_clip_r50.backbone,
    neck=_base_.fcenet_clip_r50.neck,
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
