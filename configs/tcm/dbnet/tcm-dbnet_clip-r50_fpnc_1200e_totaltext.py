# TCM-DBNet (CLIP RN50, 32 learnable prompts) fine-tuned on Total-Text with the original's settings:
# its baseline dbnet_clip-r50_fpnc_1200e_totaltext.py plus the TCM block. The original fine-tuned
# from a SynthText + real-data pre-train (see tcm-dbnet_clip-r50_fpnc_1200e_totaltext-ft.py).
_base_ = ['dbnet_clip-r50_fpnc_1200e_totaltext.py', '../_base_/tcm.py']

model = dict(_base_.tcm.model, num_prompts=32)
