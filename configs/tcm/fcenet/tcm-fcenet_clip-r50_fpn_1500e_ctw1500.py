# TCM-FCENet (CLIP RN50, 4 learnable prompts) on ctw1500. The original released no TCM-FCENet
# config for it: this is MMOCR's own FCENet ctw1500 config (data, level ranges, test scale,
# post-processing, schedule) with the CLIP image encoder and TCM as in the ICDAR2015 config.
_base_ = ['mmocr::textdet/fcenet/fcenet_resnet50-dcnv2_fpn_1500e_ctw1500.py']

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    type='TCMDetector',
    clip_pretrained=None,  # --cfg-options model.clip_pretrained=RN50.pt
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        input_resolution=800,
        out_indices=(1, 2, 3)),
    text_encoder=dict(type='CLIPTextContextEncoder', frozen=True),
    num_prompts=4,
    score_concat_index=2,
    aux_loss=dict(
        type='TCMAuxLoss', shrink_ratio=1.0, min_sidelength=0, upsample=False),
    neck=dict(in_channels=[512, 1024, 2048 + 1]))

optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys=dict(
            backbone=dict(lr_mult=0.1),
            text_encoder=dict(lr_mult=0.0),
            norm=dict(decay_mult=0.0))))

# tcm's CheckedOCRDataset reports bad annotations and images by name.
train_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
val_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
test_dataloader = val_dataloader
