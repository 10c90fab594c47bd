# DBNet++ on CLIP's RN50 on ICDAR2015: the DBNet ICDAR2015 config with DBNet++'s adaptive
# scale fusion (ASF) in the neck; post-processing follows MMOCR's DBNet++ configs. The baseline
# of tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py.
_base_ = ['../dbnet/dbnet_clip-r50_fpnc_1200e_icdar2015.py']

model = dict(
    neck=dict(asf_cfg=dict(attention_type='ScaleChannelSpatial')),
    det_head=dict(
        postprocessor=dict(
            _delete_=True, type='DBPostprocessor', text_repr_type='quad', epsilon_ratio=0.002)))
