# DBNet on CLIP's RN50 fine-tuned on Total-Text with the original TCM-DBNet's settings: AdamW 1e-4,
# polygon output with its tuned post-processing, test scale (2944, 800). The baseline of
# tcm-dbnet_clip-r50_fpnc_1200e_totaltext.py. MMOCR's FixInvalidPolygon is added because MMOCR 1.x's
# augmentations can produce invalid curved polygons.
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/totaltext.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            text_repr_type='poly',
            mask_thr=0.347,
            min_text_score=0.3,
            min_text_width=5,
            unclip_ratio=1.95,
            epsilon_ratio=0.004,
            max_candidates=3000)))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=10)

train_pipeline = _base_.train_pipeline
train_pipeline.insert(2, dict(type='FixInvalidPolygon', min_poly_points=4))
test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(2944, 800), keep_ratio=True)

train_dataloader = dict(dataset=dict(_base_.totaltext_textdet_train, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(_base_.totaltext_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
