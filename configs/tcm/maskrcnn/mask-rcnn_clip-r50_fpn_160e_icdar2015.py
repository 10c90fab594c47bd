# Mask R-CNN on CLIP's RN50 on ICDAR2015: MMOCR's Mask R-CNN ICDAR2015 recipe (SGD 0.08, 160 epochs,
# batch 8, instance masks from the polygons) with CLIP's image encoder. The baseline of
# tcm-mask-rcnn_clip-r50_fpn_160e_icdar2015.py; not in the original.
_base_ = [
    'mmocr::textdet/maskrcnn/mask-rcnn_resnet50_fpn_160e_icdar2015.py',
    '_base_mask-rcnn_clip-r50_fpn.py',
]

model = dict(cfg=dict(backbone=_base_.clip_r50_backbone))
train_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
val_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
test_dataloader = val_dataloader
