# Detection pre-train on SynthText and real data (the start of the ICDAR2015 and TD500 fine-tunes)
# with TCM-DBNet (CLIP RN50, 4 learnable prompts): dbnet_clip-r50_fpnc_20e_synthtext-real.py plus
# the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_20e_synthtext-real.py', '../_base_/tcm.py']

model = _base_.tcm.model
