# TextSnake on CLIP's RN50 on CTW1500: MMOCR's own TextSnake CTW1500 config (FPN-UNet over C2..C5, its
# augmentation, data, SGD schedule and batch) with CLIP's image encoder, as MMOCR's oCLIP row
# swaps in a CLIP ResNet, and tcm's checked dataset. The baseline of
# tcm-textsnake_clip-r50_fpn-unet_1200e_ctw1500.py.
_base_ = ['mmocr::textdet/textsnake/textsnake_resnet50_fpn-unet_1200e_ctw1500.py']

custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        preset='RN50',
        input_resolution=800,
        out_indices=(0, 1, 2, 3),
        return_embeddings=False))

train_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
val_dataloader = dict(dataset=dict(type='CheckedOCRDataset'))
test_dataloader = val_dataloader
