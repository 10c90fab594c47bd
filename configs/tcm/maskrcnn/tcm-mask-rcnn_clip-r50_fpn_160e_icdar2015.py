# TCM-Mask R-CNN (CLIP RN50, 4 learnable prompts) on ICDAR2015: its baseline
# mask-rcnn_clip-r50_fpn_160e_icdar2015.py plus the TCM block for Mask R-CNN.
_base_ = ['mask-rcnn_clip-r50_fpn_160e_icdar2015.py', '../_base_/tcm_mask-rcnn.py']

model = _base_.tcm_mask_rcnn.model
