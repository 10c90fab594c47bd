# TCM-DBNet (CLIP RN50, 4 learnable prompts) fine-tuned on ICDAR2015: the released 88.8 hmean
# model's settings, i.e. its baseline dbnet_clip-r50_fpnc_1200e_icdar2015.py plus the TCM block.
# Fine-tune from a TCM detection pre-train with --cfg-options load_from=PRETRAIN.pth, or from
# CLIP with --cfg-options model.clip_pretrained=RN50.pt.
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015.py', '../_base_/tcm.py']

model = _base_.tcm.model
