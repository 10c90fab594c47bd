# DBNet on ImageNet's ResNet-101 (MMDetection's ResNet, C2..C5 as CLIP's RN50 gives them) on
# MSRA-TD500 with the schedule of dbnet_clip-r50_fpnc_1200e_td500.py: Table 10's deeper
# baseline, whose parameters and FLOPs TCM-DBNet-R50's are set against. The weights come from
# torchvision's file as in MMOCR's ResNet configs; a local copy:
#   --cfg-options model.backbone.init_cfg.checkpoint=/path/to/resnet101-63fe2227.pth
_base_ = ['dbnet_clip-r50_fpnc_1200e_td500.py']

model = dict(
    backbone=dict(
        _delete_=True,
        type='mmdet.ResNet',
        depth=101,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet101')))
