# TCM-DBNet (CLIP RN50, 4 learnable prompts) fine-tuned on MSRA-TD500: the released 88.8 hmean
# model's settings, i.e. its baseline dbnet_clip-r50_fpnc_1200e_td500.py plus the TCM block.
_base_ = ['dbnet_clip-r50_fpnc_1200e_td500.py', '../_base_/tcm.py']

model = _base_.tcm.model
