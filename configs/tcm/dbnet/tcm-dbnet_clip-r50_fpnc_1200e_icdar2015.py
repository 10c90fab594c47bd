# TCM-DBNet (CLIP RN50, 4 learnable prompts) fine-tuned on ICDAR2015: the released
# 88.8 hmean model's settings (Adam 1e-4, test short side 1024, tuned post-processing).
# Fine-tune from a TCM detection pre-train with --cfg-options load_from=PRETRAIN.pth,
# or from CLIP with --cfg-options model.clip_pretrained=RN50.pt.
_base_ = [
    '_base_tcm-dbnet_clip-r50_fpnc.py',
    '../_base_/datasets/icdar2015.py',
    'mmocr::textdet/_base_/default_runtime.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='quad',
            mask_thr=0.28,
            min_text_score=0.2,
            min_text_width=2,
            unclip_ratio=1.6,
            epsilon_ratio=0.001,
            max_candidates=3000)))

icdar2015_textdet_train = _base_.icdar2015_textdet_train
icdar2015_textdet_train.pipeline = _base_.train_pipeline
icdar2015_textdet_test = _base_.icdar2015_textdet_test
icdar2015_textdet_test.pipeline = _base_.test_pipeline

train_dataloader = dict(dataset=icdar2015_textdet_train)
val_dataloader = dict(dataset=icdar2015_textdet_test)
test_dataloader = val_dataloader

default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook', interval=300, save_best='icdar/hmean', rule='greater'))
