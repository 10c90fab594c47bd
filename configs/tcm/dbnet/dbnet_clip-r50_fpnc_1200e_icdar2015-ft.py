# Baseline for tcm-dbnet_clip-r50_fpnc_1200e_icdar2015-ft.py:
# the same DBNet, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-dbnet_clip-r50_fpnc_1200e_icdar2015-ft.py']

model = dict(
    _delete_=True,
    type='DBNet',
    backbone=_base_.dbnet_clip_r50.backbone,
    neck=_base_.dbnet_clip_r50.neck,
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
load_from = 'work_dirs/dbnet_clip-r50_fpnc_20e_synthtext-real/epoch_20.pth'
