# Baseline for tcm-psenet_clip-r50_fpnf_600e_ctw1500.py: the same PSENet, CLIP image encoder,
# data and schedule, without TCM (MMOCR's own PSENet config with the backbone swapped).
_base_ = ['mmocr::textdet/psenet/psenet_resnet50_fpnf_600e_ctw1500.py']

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        input_resolution=736,
        return_embeddings=False))

optim_wrapper = dict(paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=0.1))))

# tcm's CheckedOCRDataset reports bad annotations and images by name.
train_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
val_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
test_dataloader = val_dataloader
