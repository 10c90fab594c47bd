# TCM-DBNet with a tiny, randomly initialised CLIP on tcm's synthetic toy set: the main job
# (tools/toy_demo.sh) that trains and tests in minutes on 2 CPU cores. Its baseline plus the
# TCM block with smaller towers and decoders; the sizes coupled to the towers are derived.
# Make the data first: python tools/dataset_converters/make_toy_dataset.py data/toy
_base_ = ['dbnet_clip-tiny_fpnc_toy.py', '../_base_/tcm.py']

__tiny_decoder = dict(transformer_width=32, transformer_heads=2, transformer_layers=2)
model = dict(
    _base_.tcm.model,
    text_encoder=dict(_base_.tcm.model.text_encoder, width=64, heads=2, layers=2),
    visual_prompt_generator=dict(_base_.tcm.model.visual_prompt_generator, **__tiny_decoder),
    context_decoder=dict(_base_.tcm.model.context_decoder, **__tiny_decoder))
