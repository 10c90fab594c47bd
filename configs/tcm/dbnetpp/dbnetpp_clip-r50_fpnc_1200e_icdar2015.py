# Baseline for tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py:
# the same DBNet++, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py']

model = dict(
    _delete_=True,
    type='DBNet',
    backbone=_base_.dbnet_clip_r50.backbone,
    neck=dict(
        type='FPNC',
        in_channels=[256, 512, 1024, 2048],
        lateral_channels=256,
        asf_cfg=dict(attention_type='ScaleChannelSpatial')),
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
