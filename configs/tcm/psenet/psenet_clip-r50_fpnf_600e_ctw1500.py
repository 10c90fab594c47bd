# PSENet on CLIP's RN50 on CTW1500: MMOCR's own PSENet CTW1500 config with CLIP's image encoder. The
# baseline of tcm-psenet_clip-r50_fpnf_600e_ctw1500.py.
_base_ = [
    '_base_psenet_clip-r50_fpnf.py',
    '../_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(1280, 1280), keep_ratio=True)

train_dataloader = dict(dataset=dict(_base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.ctw1500_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader
