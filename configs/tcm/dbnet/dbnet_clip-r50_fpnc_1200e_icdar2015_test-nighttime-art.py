# The ICDAR2015 DBNet on CLIP's RN50 tested on NightTime-ArT (out-of-distribution night-time
# text); NightTime-ArT polygons are curved, so the output is polygons:
#   mim test tcm dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py --checkpoint IC15.pth
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015.py', '../_base_/datasets/nighttime_art.py']

model = dict(det_head=dict(postprocessor=dict(text_repr_type='poly')))

val_dataloader = dict(
    dataset=dict(_base_.nighttime_art_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
