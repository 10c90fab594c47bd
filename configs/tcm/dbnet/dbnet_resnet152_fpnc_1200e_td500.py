# DBNet on ImageNet's ResNet-152 on MSRA-TD500: Table 10's deepest baseline, otherwise
# dbnet_resnet101_fpnc_1200e_td500.py. A local copy of the weights:
#   --cfg-options model.backbone.init_cfg.checkpoint=/path/to/resnet152-394f9c45.pth
_base_ = ['dbnet_resnet101_fpnc_1200e_td500.py']

model = dict(backbone=dict(depth=152, init_cfg=dict(checkpoint='torchvision://resnet152')))
