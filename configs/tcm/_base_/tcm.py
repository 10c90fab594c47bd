# The TCM block, written once: what TCMDetector adds to an MMOCR text detector built on CLIP's
# ResNet, with the original release's settings. A TCM config is its baseline plus this block,
#     _base_ = ['<baseline config>.py', '../_base_/tcm.py']
#     model = _base_.tcm.model
# merged into the baseline's model. TCMDetector derives what the CLIP towers fix: the text
# tower's preset and joint width, the widths of the prompt generator and both decoders, and
# the score-map channel of the neck's input at score_concat_index (default: the 1/32 level).
__decoder = dict(
    type='ContextDecoder',
    transformer_width=256,
    transformer_heads=4,
    transformer_layers=3,
    dropout=0.1)

tcm = dict(
    model=dict(
        type='TCMDetector',
        # Local CLIP weights for both towers (OpenAI's RN50.pt, an open_clip or oCLIP
        # checkpoint, a state dict): --cfg-options model.clip_pretrained=/path/to/RN50.pt
        clip_pretrained=None,
        backbone=dict(return_embeddings=True),
        text_encoder=dict(type='CLIPTextContextEncoder', frozen=True),
        prompt_generator=dict(type='PromptGenerator'),
        visual_prompt_generator=__decoder,
        context_decoder=__decoder,
        # legacy_batch_mixing=True reproduces the original loss bug (per-GPU batch mixing),
        # for faithful retraining of the released models only.
        aux_loss=dict(
            type='TCMAuxLoss',
            tau=0.07,
            loss_weight=1.0,
            shrink_ratio=0.4,
            legacy_batch_mixing=False),
        class_names=['the pixels of many arbitrary-shape text instances.'],
        prompt_length=14,
        num_prompts=4))
