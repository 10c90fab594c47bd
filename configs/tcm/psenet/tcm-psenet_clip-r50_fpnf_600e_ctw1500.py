# TCM-PSENet (CLIP RN50, 4 learnable prompts) on ctw1500. The original TCM had no PSENet: this is
# MMOCR's own PSENet config (data, schedule, post-processing) with the CLIP image encoder and
# the TCM blocks at their paper defaults; the score map joins C5 (2048 + 1 neck channels).
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_ctw1500.py']

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    type='TCMDetector',
    clip_pretrained=None,  # --cfg-options model.clip_pretrained=RN50.pt
    # PSENet trains on 736 px crops: store the positional grid for that size.
    backbone=dict(_delete_=True, type='CLIPResNetWithAttention', input_resolution=736),
    text_encoder=dict(type='CLIPTextContextEncoder', frozen=True),
    num_prompts=4,
    neck=dict(in_channels=[256, 512, 1024, 2048 + 1]))

# Image encoder at 0.1x, text encoder frozen (MMOCR's Adam here has no weight decay).
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys=dict(backbone=dict(lr_mult=0.1), text_encoder=dict(lr_mult=0.0))))

# tcm's CheckedOCRDataset reports bad annotations and images by name.
train_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
val_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
test_dataloader = val_dataloader
