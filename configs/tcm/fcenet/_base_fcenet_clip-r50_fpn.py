# FCENet on CLIP's RN50: MMOCR's FCENet (which matches the original TCM-FCENet's head, loss,
# post-processing, ImageNet normalisation and augmentation) with CLIP's image encoder on
# C3..C5, an 800 px positional grid for TCM, and the original's Ranger 1e-3 over 1500 epochs.
_base_ = [
    'mmocr::textdet/fcenet/_base_fcenet_resnet50_fpn.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
]

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        preset='RN50',
        input_resolution=800,
        out_indices=(1, 2, 3),
        return_embeddings=False))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0))
train_cfg = dict(max_epochs=1500, val_interval=30)
param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=1e-7, end=1500)]
