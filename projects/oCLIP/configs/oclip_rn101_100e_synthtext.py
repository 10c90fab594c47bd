# oCLIP RN101 (23 blocks in the third stage), otherwise as the RN50 recipe.
_base_ = ['oclip_rn50_100e_synthtext.py']

model = dict(image_encoder=dict(preset='RN101'))
