# TCM-DBNet (CLIP RN50, 32 learnable prompts) fine-tuned on ctw1500, with the original's
# settings: AdamW 1e-4, polygon output with its tuned post-processing, test scale (4068, 1024).
# The original fine-tuned from a SynthText + real-data pre-train (see
# tcm-dbnet_clip-r50_fpnc_1200e_ctw1500-ft.py); MMOCR's FixInvalidPolygon is added because
# MMOCR 1.x's augmentations can produce invalid curved polygons.
_base_ = [
    '_base_tcm-dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    num_prompts=32,
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='poly',
            mask_thr=0.08,
            min_text_score=0.3,
            min_text_width=3,
            unclip_ratio=2.0,
            epsilon_ratio=0.0001,
            max_candidates=3000)))

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=15)

train_pipeline = _base_.train_pipeline
train_pipeline.insert(2, dict(type='FixInvalidPolygon', min_poly_points=4))
test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(4068, 1024), keep_ratio=True)

ctw1500_textdet_train = _base_.ctw1500_textdet_train
ctw1500_textdet_train.pipeline = train_pipeline
ctw1500_textdet_test = _base_.ctw1500_textdet_test
ctw1500_textdet_test.pipeline = test_pipeline

train_dataloader = dict(dataset=ctw1500_textdet_train)
val_dataloader = dict(dataset=ctw1500_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook', interval=300, save_best='icdar/hmean', rule='greater'))
