# TCM-PSENet (CLIP RN50, 4 learnable prompts) on ICDAR2015: its baseline psenet_clip-r50_fpnf_600e_icdar2015.py
# plus the TCM block at its paper defaults (the score map joins C5).
_base_ = ['psenet_clip-r50_fpnf_600e_icdar2015.py', '../_base_/tcm.py']

model = _base_.tcm.model
