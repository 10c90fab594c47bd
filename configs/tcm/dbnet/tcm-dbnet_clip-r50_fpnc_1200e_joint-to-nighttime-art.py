# TCM-DBNet (CLIP RN50, 4 learnable prompts) trained on Table 9's joint data and tested on
# NightTime-ArT: its baseline dbnet_clip-r50_fpnc_1200e_joint-to-nighttime-art.py plus the TCM
# block.
_base_ = ['dbnet_clip-r50_fpnc_1200e_joint-to-nighttime-art.py', '../_base_/tcm.py']

model = _base_.tcm.model
