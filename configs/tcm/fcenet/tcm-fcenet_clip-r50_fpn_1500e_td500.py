# TCM-FCENet (CLIP RN50, 4 learnable prompts) on MSRA-TD500: its baseline
# fcenet_clip-r50_fpn_1500e_td500.py plus the TCM block as TCM-FCENet uses it.
_base_ = ['fcenet_clip-r50_fpn_1500e_td500.py', '../_base_/tcm_full-regions.py']

model = _base_.tcm.model
