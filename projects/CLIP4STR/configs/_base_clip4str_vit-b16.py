# CLIP4STR-B (Zhao et al., TIP 2024): CLIP ViT-B/16 with QuickGELU (OpenAI's weights), its text
# tower on 16-token captions with the token embedding and the lower 6 of 12 layers frozen, and
# two one-layer PARSeq decoders (8 heads, MLP x4, dropout 0.1) over 26 positions; the 94-character
# training charset; 224x224 inputs, normalised with CLIP's mean and std in training and with
# 0.5 / 0.5 at test time, as the original trained and tested.
custom_imports = dict(imports=['clip4str'], allow_failed_imports=False)

dictionary = dict(
    type='Dictionary',
    dict_file='{{ fileDirname }}/../clip4str/dicts/english_digits_symbols_94.txt',
    with_start=True,
    with_end=True,
    same_start_end=False,
    with_padding=True)

model = dict(
    type='CLIP4STR',
    dictionary=dictionary,
    # Local CLIP weights for both towers (OpenAI's ViT-B-16.pt, an open_clip checkpoint):
    # --cfg-options model.clip_pretrained=/path/to/ViT-B-16.pt
    clip_pretrained=None,
    image_encoder=dict(type='CLIPVisionTransformer', preset='ViT-B-16'),
    text_encoder=dict(type='CLIPTextEncoder', context_length=16, frozen=6),
    decoder=dict(type='PARSeqDecoder', heads=8, layers=1, mlp_ratio=4, dropout=0.1),
    max_seq_len=25,
    num_perms=6,
    refine_iters=1,
    data_preprocessor=dict(
        type='CLIP4STRDataPreprocessor',
        mean=[255 * m for m in (0.48145466, 0.4578275, 0.40821073)],
        std=[255 * s for s in (0.26862954, 0.26130258, 0.27577711)],
        test_mean=[127.5] * 3,
        test_std=[127.5] * 3,
        bgr_to_rgb=True))
