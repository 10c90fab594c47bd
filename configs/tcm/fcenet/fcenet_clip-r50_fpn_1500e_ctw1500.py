# Baseline for tcm-fcenet_clip-r50_fpn_1500e_ctw1500.py:
# the same FCENet, CLIP image encoder, data and schedule, without TCM.
_base_ = ['tcm-fcenet_clip-r50_fpn_1500e_ctw1500.py']

model = dict(
    _delete_=True,
    type='FCENet',
    backbone=dict(
        type='CLIPResNetWithAttention',
        input_resolution=800,
        out_indices=(1, 2, 3),
        return_embeddings=False),
    neck=dict(
        type='mmdet.FPN',
        in_channels=[512, 1024, 2048],
        out_channels=256,
        add_extra_convs='on_output',
        num_outs=3,
        relu_before_extra_convs=True,
        act_cfg=None),
    det_head=_base_.model.det_head,
    data_preprocessor=_base_.model.data_preprocessor)
