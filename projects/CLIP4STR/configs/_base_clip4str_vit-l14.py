# CLIP4STR-L: the ViT-B/16 model with CLIP ViT-L/14 (QuickGELU, OpenAI's weights): 257 image
# tokens and 768-wide decoders.
_base_ = ['_base_clip4str_vit-b16.py']

model = dict(image_encoder=dict(preset='ViT-L-14'))
