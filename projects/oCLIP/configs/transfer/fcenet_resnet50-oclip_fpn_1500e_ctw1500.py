# MMOCR's config, its oCLIP backbone read from a local conversion instead of the download.
_base_ = ['mmocr::textdet/fcenet/fcenet_resnet50-oclip_fpn_1500e_ctw1500.py', '_oclip_weights.py']

model = dict(backbone=dict(init_cfg=dict(checkpoint=_base_.oclip_backbone)))
