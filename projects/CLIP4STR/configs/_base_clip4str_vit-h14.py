# CLIP4STR-H: the ViT-B/16 model with CLIP ViT-H/14 (OpenCLIP's LAION-2B or DFN-5B weights), run
# as the original runs it: QuickGELU in both towers and width / 64 = 20 attention heads in the
# image tower (OpenCLIP's own ViT-H-14 uses GELU and 16 heads); 1024-wide decoders, 6 of the 24
# text layers frozen.
_base_ = ['_base_clip4str_vit-b16.py']

model = dict(
    image_encoder=dict(preset='ViT-H-14', quick_gelu=True, heads=20),
    text_encoder=dict(quick_gelu=True))
