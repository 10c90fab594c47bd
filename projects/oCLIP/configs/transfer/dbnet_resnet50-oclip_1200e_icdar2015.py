# MMOCR's config, its oCLIP backbone read from a local conversion instead of the download.
_base_ = ['mmocr::textdet/dbnet/dbnet_resnet50-oclip_1200e_icdar2015.py', '_oclip_weights.py']

model = dict(backbone=dict(init_cfg=dict(checkpoint=_base_.oclip_backbone)))
