# TCM-DBNet++ (CLIP RN50, 4 learnable prompts) on ICDAR2015: TCM-DBNet's settings with
# DBNet++'s adaptive scale fusion (ASF) in the neck. The original TCM had no DBNet++; its
# post-processing follows MMOCR's DBNet++ configs.
_base_ = ['../dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py']

model = dict(
    neck=dict(asf_cfg=dict(attention_type='ScaleChannelSpatial')),
    det_head=dict(
        postprocessor=dict(
            _delete_=True,
            type='DBPostprocessor',
            text_repr_type='quad',
            epsilon_ratio=0.002)))
