# The ICDAR2015 TCM-DBNet tested on NightTime-ArT (out-of-distribution night-time text):
#   mim test tcm tcm-dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py --checkpoint IC15.pth
# NightTime-ArT polygons are curved, so the output is polygons.
_base_ = [
    'tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py',
    '../_base_/datasets/nighttime_art.py',
]

model = dict(det_head=dict(postprocessor=dict(text_repr_type='poly')))

nighttime_art_textdet_test = _base_.nighttime_art_textdet_test
nighttime_art_textdet_test.pipeline = _base_.test_pipeline
val_dataloader = dict(dataset=nighttime_art_textdet_test)
test_dataloader = val_dataloader
