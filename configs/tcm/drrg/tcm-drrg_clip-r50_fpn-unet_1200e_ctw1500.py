# TCM-DRRG (CLIP RN50, 4 learnable prompts) on CTW1500: its baseline
# drrg_clip-r50_fpn-unet_1200e_ctw1500.py plus the TCM block for full-region detectors.
_base_ = ['drrg_clip-r50_fpn-unet_1200e_ctw1500.py', '../_base_/tcm_full-regions.py']

model = _base_.tcm.model
