# TCM-FCENet with CLIP RN50: MMOCR's FCENet (which matches the original's head, loss,
# post-processing, ImageNet normalisation and augmentation) with the CLIP image encoder and
# TCM. As in the original: C3..C5 from the encoder, the score map fused into the last of the
# three levels (C5: 2048 + 1 neck channels), an 800 px positional grid, and the auxiliary
# loss on full text regions at the score map's own 1/32 resolution. Ranger 1e-3, poly decay.
_base_ = [
    'mmocr::textdet/fcenet/_base_fcenet_resnet50_fpn.py',
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
        input_resolution=800,
        out_indices=(1, 2, 3)),
    text_encoder=dict(type='CLIPTextContextEncoder', frozen=True),
    num_prompts=4,
    score_concat_index=2,
    aux_loss=dict(
        type='TCMAuxLoss', shrink_ratio=1.0, min_sidelength=0, upsample=False),
    neck=dict(in_channels=[512, 1024, 2048 + 1]))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=1500, val_interval=30)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1500)]

# The same detector without TCM (MMOCR's FCENet on CLIP's ResNet), for the baselines.
fcenet_clip_r50 = dict(
    backbone=dict(
        type='CLIPResNetWithAttention',
        layers=[3, 4, 6, 3],
        input_resolution=800,
        out_indices=(1, 2, 3),
        return_embeddings=False),
    neck=dict(
        type='mmdet.FPN',
        in_channels=[512, 1024, 2048],
        out_channels=256,
        add_extra_convs='on_output',
        num_outs=3,
        relu_before_extra_convs=True,
        act_cfg=None))
