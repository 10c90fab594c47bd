# A tiny oCLIP pre-trained on tcm's toy scenes, whose words are known (data/toy, the textdet
# JSON; boxes unused): the first step of the laptop loop (projects/oCLIP/tools/toy_loop.sh).
# Its image encoder is the trunk of tcm's tiny toy detectors (configs/tcm/dbnet/
# dbnet_clip-tiny_fpnc_toy.py: one block per stage, 16 wide, 64-d pool at 256 px), so that the
# converted weights load into them.
_base_ = ['../oclip_rn50_100e_synthtext.py']

model = dict(
    image_encoder=dict(layers=[1, 1, 1, 1], width=16, heads=4, output_dim=64, input_resolution=256),
    text_encoder=dict(width=32, heads=2, layers=2),
    decoder=dict(layers=2, heads=2))

train_pipeline = [
    _base_.train_pipeline[0],
    dict(_base_.train_pipeline[1], size=256), *_base_.train_pipeline[2:]
]
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(data_root='data/toy', ann_file='textdet_train.json', pipeline=train_pipeline))

__epochs = 15
train_cfg = dict(max_epochs=__epochs)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], warmup_iters=50, end=__epochs)]
auto_scale_lr = dict(base_batch_size=16)
randomness = dict(seed=0)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=__epochs, max_keep_ckpts=1))
