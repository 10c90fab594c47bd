# TCM-PANet with CLIP RN50, as the original: FPEM-FFM on C2..C5 with the score map fused into
# C5 (2048 + 1 channels), MMOCR 0.4's single-convolution PAN head (LegacyPANHead, so that
# original checkpoints convert), ImageNet normalisation, a 736 px positional grid, and the
# auxiliary loss on full text regions with OHEM and dice. Ranger 1e-3, poly decay, 1200
# epochs. Pipelines are MMOCR's PANet ones (736 crops, kernels shrunk to 0.5).
_base_ = [
    'mmocr::textdet/panet/_base_panet_resnet18_fpem-ffm.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
]

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    type='TCMDetector',
    clip_pretrained=None,  # --cfg-options model.clip_pretrained=RN50.pt
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        layers=[3, 4, 6, 3],
        input_resolution=736),
    text_encoder=dict(type='CLIPTextContextEncoder', frozen=True),
    num_prompts=4,
    score_concat_index=3,
    aux_loss=dict(
        type='TCMAuxLoss',
        shrink_ratio=1.0,
        min_sidelength=0,
        loss=dict(type='OHEMDiceWithLogitsLoss', negative_ratio=3)),
    neck=dict(type='FPEM_FFM', in_channels=[256, 512, 1024, 2048 + 1]),
    det_head=dict(
        _delete_=True,
        type='LegacyPANHead',
        in_channels=[128, 128, 128, 128],
        out_channel=6,
        module_loss=dict(
            type='PANModuleLoss',
            loss_text=dict(type='MaskedSquareDiceLoss'),
            loss_kernel=dict(type='MaskedSquareDiceLoss')),
        postprocessor=dict(type='PANPostprocessor', text_repr_type='quad')))

# The original tested at (1333, 736): short side 736, long side at most 1333.
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(1333, 736), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=1200, val_interval=20)

# The same detector without TCM (MMOCR's PANet on CLIP's ResNet), for the baselines.
panet_clip_r50 = dict(
    backbone=dict(
        type='CLIPResNetWithAttention',
        layers=[3, 4, 6, 3],
        input_resolution=736,
        return_embeddings=False),
    neck=dict(type='FPEM_FFM', in_channels=[256, 512, 1024, 2048]))
