# Domain adaptation ICDAR2013 -> ICDAR2015 with TCM-DBNet (CLIP RN50, 4 learnable prompts):
# dbnet_clip-r50_fpnc_1200e_icdar2013-to-icdar2015.py plus the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2013-to-icdar2015.py', '../_base_/tcm.py']

model = _base_.tcm.model
