# TCM-DBNet (CLIP RN50, 32 learnable prompts) pre-trained on SynthText and real data, the start
# of the CTW1500 and Total-Text fine-tunes: dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts.py
# plus the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts.py', '../_base_/tcm.py']

model = dict(_base_.tcm.model, num_prompts=32)
