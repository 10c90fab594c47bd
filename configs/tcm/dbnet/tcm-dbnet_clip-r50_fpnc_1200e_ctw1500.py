# TCM-DBNet (CLIP RN50, 32 learnable prompts) fine-tuned on CTW1500 with the original's settings:
# its baseline dbnet_clip-r50_fpnc_1200e_ctw1500.py plus the TCM block. The original fine-tuned
# from a SynthText + real-data pre-train (see tcm-dbnet_clip-r50_fpnc_1200e_ctw1500-ft.py).
_base_ = ['dbnet_clip-r50_fpnc_1200e_ctw1500.py', '../_base_/tcm.py']

model = dict(_base_.tcm.model, num_prompts=32)
