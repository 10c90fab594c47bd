# TCM-DBNet with CLIP RN50: the model and data pipelines shared by the TCM-DBNet configs.
# Values follow the original release (research: tcm_architecture.md §1, §4).
_base_ = ['../_base_/schedules/schedule_tcm_1200e.py']

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    type='TCMDetector',
    # Local CLIP weights (OpenAI RN50.pt, an open_clip checkpoint or a state dict) for
    # training from CLIP: --cfg-options model.clip_pretrained=/path/to/RN50.pt
    clip_pretrained=None,
    backbone=dict(
        type='CLIPResNetWithAttention',
        layers=[3, 4, 6, 3],
        width=64,
        heads=32,
        output_dim=1024,
        input_resolution=640),
    text_encoder=dict(
        type='CLIPTextContextEncoder',
        width=512,
        heads=8,
        layers=12,
        embed_dim=1024,
        frozen=True),
    prompt_generator=dict(
        type='PromptGenerator', visual_dim=1024, token_embed_dim=512),
    visual_prompt_generator=dict(
        type='ContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=1024,
        dropout=0.1),
    context_decoder=dict(
        type='ContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=1024,
        dropout=0.1),
    # legacy_batch_mixing=True reproduces the original loss bug (per-GPU batch mixing),
    # for faithful retraining of the released models only.
    aux_loss=dict(
        type='TCMAuxLoss',
        tau=0.07,
        loss_weight=1.0,
        shrink_ratio=0.4,
        legacy_batch_mixing=False),
    class_names=['the pixels of many arbitrary-shape text instances.'],
    prompt_length=14,
    num_prompts=4,
    score_concat_index=3,
    neck=dict(
        type='FPNC',
        in_channels=[256, 512, 1024, 2048 + 1],
        lateral_channels=256),
    det_head=dict(
        type='DBHead',
        in_channels=256,
        module_loss=dict(type='DBModuleLoss'),
        postprocessor=dict(type='DBPostprocessor', text_repr_type='quad')),
    # DBNet's mean with ImageNet's std, as the released TCM models were trained.
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[122.67891434, 116.66876762, 104.00698793],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32))

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_bbox=True,
        with_polygon=True,
        with_label=True),
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=32.0 / 255,
        saturation=0.5),
    dict(
        type='ImgAugWrapper',
        args=[['Fliplr', 0.5],
              dict(cls='Affine', rotate=[-10, 10]), ['Resize', [0.5, 3.0]]]),
    dict(type='RandomCrop', min_side_ratio=0.1),
    dict(type='Resize', scale=(640, 640), keep_ratio=True),
    dict(type='Pad', size=(640, 640)),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]

test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(4068, 1024), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

# The same detector without TCM (MMOCR's DBNet on CLIP's ResNet, no attention pool), for the
# baseline config beside each TCM-DBNet config.
dbnet_clip_r50 = dict(
    type='DBNet',
    backbone=dict(
        type='CLIPResNetWithAttention',
        layers=[3, 4, 6, 3],
        width=64,
        input_resolution=640,
        return_embeddings=False),
    neck=dict(
        type='FPNC', in_channels=[256, 512, 1024, 2048], lateral_channels=256))
