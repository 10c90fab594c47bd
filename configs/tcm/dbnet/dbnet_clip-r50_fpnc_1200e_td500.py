# DBNet on CLIP's RN50 fine-tuned on MSRA-TD500 with the settings of the released 88.8 hmean
# TCM-DBNet model (Ranger 1e-3, test short side 736, tuned post-processing): the baseline of
# tcm-dbnet_clip-r50_fpnc_1200e_td500.py.
# Data: python tools/dataset_converters/td500_converter.py MSRA-TD500 data/td500 \
#           --hust-tr400 HUST-TR400   (TD500 train + HUST-TR400, as the original trained)
# The original skipped cv2.approxPolyDP here; epsilon_ratio=0 is the closest MMOCR setting.
_base_ = [
    '_base_dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/td500.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            mask_thr=0.08,
            min_text_score=0.17,
            min_text_width=3,
            unclip_ratio=1.9,
            epsilon_ratio=0.0,
            max_candidates=1000)))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(val_interval=2)

test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(4068, 736), keep_ratio=True)

train_dataloader = dict(dataset=dict(_base_.td500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(_base_.td500_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader
default_hooks = dict(checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))
