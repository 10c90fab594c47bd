# Baseline for tcm-panet_clip-r50_fpem-ffm_1200e_ctw1500.py:
# the same PANet, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-panet_clip-r50_fpem-ffm_1200e_ctw1500.py']

model = dict(
    _delete_=True,
    type='PANet',
    backbone=dict(_base_.panet_clip_r50.backbone, input_resolution=640),
    neck=_base_.panet_clip_r50.neck,
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
