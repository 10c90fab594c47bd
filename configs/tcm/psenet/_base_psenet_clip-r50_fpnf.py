# PSENet on CLIP's RN50: MMOCR's PSENet (FPNF neck, head, pipelines on 736 px crops) with CLIP's
# image encoder (a 736 px positional grid for TCM) and MMOCR's PSENet schedule (Adam 1e-4,
# 600 epochs, steps at 200 and 400, batch 16). The original TCM had no PSENet.
_base_ = [
    'mmocr::textdet/psenet/_base_psenet_resnet50_fpnf.py',
    '../_base_/schedules/schedule_tcm_1200e.py',
]

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        preset='RN50',
        input_resolution=736,
        return_embeddings=False))

optim_wrapper = dict(optimizer=dict(_delete_=True, type='Adam', lr=1e-4, weight_decay=0))
train_cfg = dict(max_epochs=600, val_interval=40)
param_scheduler = [dict(type='MultiStepLR', milestones=[200, 400], end=600)]
auto_scale_lr = dict(base_batch_size=64 * 4)
train_dataloader = dict(persistent_workers=False)
val_dataloader = dict(num_workers=1, persistent_workers=False)
test_dataloader = val_dataloader
