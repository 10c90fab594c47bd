# TCM-FCENet (CLIP RN50, 4 learnable prompts) on ICDAR2015: its baseline
# fcenet_clip-r50_fpn_1500e_icdar2015.py plus the TCM block as TCM-FCENet uses it.
_base_ = ['fcenet_clip-r50_fpn_1500e_icdar2015.py', '../_base_/tcm_full-regions.py']

model = _base_.tcm.model
