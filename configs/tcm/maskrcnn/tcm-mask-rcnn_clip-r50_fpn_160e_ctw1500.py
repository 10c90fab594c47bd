# TCM-Mask R-CNN (CLIP RN50, 4 learnable prompts) on CTW1500: its baseline
# mask-rcnn_clip-r50_fpn_160e_ctw1500.py plus the TCM block for Mask R-CNN.
_base_ = ['mask-rcnn_clip-r50_fpn_160e_ctw1500.py', '../_base_/tcm_mask-rcnn.py']

model = _base_.tcm_mask_rcnn.model
