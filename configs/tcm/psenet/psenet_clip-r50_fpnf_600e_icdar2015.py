# PSENet on CLIP's RN50 on ICDAR2015: MMOCR's own PSENet ICDAR2015 config with CLIP's image encoder. The
# baseline of tcm-psenet_clip-r50_fpnf_600e_icdar2015.py.
_base_ = [
    '_base_psenet_clip-r50_fpnf.py',
    '../_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(det_head=dict(postprocessor=dict(text_repr_type='quad')))

train_dataloader = dict(
    dataset=dict(_base_.icdar2015_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.icdar2015_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
