# MMOCR's config, its oCLIP backbone read from a local conversion instead of the download.
_base_ = [
    'mmocr::textdet/maskrcnn/mask-rcnn_resnet50-oclip_fpn_160e_icdar2015.py', '_oclip_weights.py'
]

model = dict(cfg=dict(backbone=dict(init_cfg=dict(checkpoint=_base_.oclip_backbone))))
