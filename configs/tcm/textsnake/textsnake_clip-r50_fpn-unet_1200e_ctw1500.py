# TextSnake on CLIP's RN50 on CTW1500: MMOCR's TextSnake CTW1500 recipe (FPN-UNet over C2..C5,
# its augmentation, SGD 1e-3 over 1200 epochs, batch 4) with CLIP's image encoder, as MMOCR's
# oCLIP row swaps in a CLIP ResNet. The baseline of tcm-textsnake_clip-r50_fpn-unet_1200e_ctw1500.py.
_base_ = [
    'mmocr::textdet/textsnake/_base_textsnake_resnet50_fpn-unet.py',
    '../_base_/datasets/ctw1500.py',
    'mmocr::textdet/_base_/default_runtime.py',
    'mmocr::textdet/_base_/schedules/schedule_sgd_1200e.py',
]

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        preset='RN50',
        input_resolution=800,
        out_indices=(0, 1, 2, 3),
        return_embeddings=False))

train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.ctw1500_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=4)
