# TCM-FCENet (CLIP RN50, 4 learnable prompts) on Table 9's joint data, tested on NightTime-ArT:
# its baseline fcenet_clip-r50_fpn_1500e_joint-to-nighttime-art.py plus the TCM block.
_base_ = ['fcenet_clip-r50_fpn_1500e_joint-to-nighttime-art.py', '../_base_/tcm_full-regions.py']

model = _base_.tcm.model
