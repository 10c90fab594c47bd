# CLIP's RN50 image encoder as Mask R-CNN's backbone (C2..C5 as ResNet-50's, the positional grid
# at the 640 px training crops), written once for every Mask R-CNN config here:
#     model = dict(cfg=dict(backbone=_base_.clip_r50_backbone))
# The rest is MMOCR's recipe for each dataset (MMDetection's detector inside MMDetWrapper).
custom_imports = dict(imports=['tcm'], allow_failed_imports=False)

clip_r50_backbone = dict(
    _delete_=True,
    type='mmocr.CLIPResNetWithAttention',
    preset='RN50',
    input_resolution=640,
    return_embeddings=False)
