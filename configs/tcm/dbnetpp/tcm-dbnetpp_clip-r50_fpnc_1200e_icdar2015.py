# TCM-DBNet++ (CLIP RN50, 4 learnable prompts) on ICDAR2015: its baseline
# dbnetpp_clip-r50_fpnc_1200e_icdar2015.py plus the TCM block. The original TCM had no DBNet++.
_base_ = ['dbnetpp_clip-r50_fpnc_1200e_icdar2015.py', '../_base_/tcm.py']

model = _base_.tcm.model
