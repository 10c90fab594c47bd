# TCM-PANet (CLIP RN50, 4 learnable prompts) on MSRA-TD500: its baseline
# panet_clip-r50_fpem-ffm_1200e_td500.py plus the TCM block as TCM-PANet uses it.
_base_ = ['panet_clip-r50_fpem-ffm_1200e_td500.py', '_base_tcm-panet.py']

model = _base_.tcm.model
