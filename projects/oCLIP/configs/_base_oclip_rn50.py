# oCLIP RN50 (Xue et al., ECCV 2022): CLIP's modified ResNet-50 at 512 px with a dense
# attention pool into a 384-wide joint space; the character-aware text tower (64 wide, 8 heads,
# 6 layers, QuickGELU) on 25 slots per word and 32 words per image, over the SynthText
# dictionary (printable ASCII 33..126: 97 ids with padding, mask and end); the 6-layer
# visual-textual decoder (8 heads); inputs normalised with CLIP's mean and std.
custom_imports = dict(imports=['oclip'], allow_failed_imports=False)

# One character per line (MMOCR's dictionary files) or the original's pickled char_dict.
dict_file = '{{ fileDirname }}/../oclip/dicts/synthtext_ascii94.txt'
model = dict(
    type='OCLIP',
    dict_file=dict_file,
    image_encoder=dict(
        type='CLIPResNetWithAttention', preset='RN50', output_dim=384, input_resolution=512),
    text_encoder=dict(type='CLIPTextEncoder', preset='RN50', width=64, heads=8, layers=6),
    decoder=dict(type='VisualTextualDecoder', layers=6, heads=8),
    first_stage=False,
    char_loss_weight=1.0,
    data_preprocessor=dict(
        type='ImgDataPreprocessor',
        mean=[255 * m for m in (0.48145466, 0.4578275, 0.40821073)],
        std=[255 * s for s in (0.26862954, 0.26130258, 0.27577711)],
        bgr_to_rgb=True))
