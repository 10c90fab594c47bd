# PANet on CLIP's RN50, as the original TCM-PANet: FPEM-FFM on C2..C5, MMOCR 0.4's
# single-convolution PAN head (LegacyPANHead, so that original checkpoints convert), ImageNet
# normalisation, a 736 px positional grid for TCM, MMOCR's PANet pipelines (736 crops, kernels
# shrunk to 0.5) tested at (1333, 736), and the original's Ranger 1e-3 over 1200 epochs.
_base_ = [
    'mmocr::textdet/panet/_base_panet_resnet18_fpem-ffm.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
]

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        preset='RN50',
        input_resolution=736,
        return_embeddings=False),
    neck=dict(type='FPEM_FFM', in_channels=[256, 512, 1024, 2048]),
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

test_pipeline = _base_.test_pipeline
test_pipeline[1] = dict(type='Resize', scale=(1333, 736), keep_ratio=True)

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(val_interval=20)
