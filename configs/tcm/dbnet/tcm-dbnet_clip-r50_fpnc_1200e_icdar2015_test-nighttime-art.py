# The ICDAR2015 model tested on NightTime-ArT with TCM-DBNet (CLIP RN50, 4 learnable prompts):
# dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py plus the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py', '../_base_/tcm.py']

model = _base_.tcm.model
