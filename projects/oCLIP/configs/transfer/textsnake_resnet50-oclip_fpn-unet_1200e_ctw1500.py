# MMOCR's config, its oCLIP backbone read from a local conversion instead of the download.
_base_ = [
    'mmocr::textdet/textsnake/textsnake_resnet50-oclip_fpn-unet_1200e_ctw1500.py',
    '_oclip_weights.py'
]

model = dict(backbone=dict(init_cfg=dict(checkpoint=_base_.oclip_backbone)))
