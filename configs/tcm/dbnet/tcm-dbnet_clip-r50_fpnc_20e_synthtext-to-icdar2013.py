# Domain adaptation SynthText -> ICDAR2013 with TCM-DBNet (CLIP RN50, 4 learnable prompts):
# dbnet_clip-r50_fpnc_20e_synthtext-to-icdar2013.py plus the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_20e_synthtext-to-icdar2013.py', '../_base_/tcm.py']

model = _base_.tcm.model
