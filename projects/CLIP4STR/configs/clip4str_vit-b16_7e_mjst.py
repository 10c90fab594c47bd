# CLIP4STR-B trained on MJSynth + SynthText (15.9 M crops), 7 epochs at 1024 (4 GPUs x 128,
# accumulating 2 steps); released as clip4str_base16x16_synth_a5e3386222.ckpt.
_base_ = ['_base_clip4str_vit-b16.py', '_base_clip4str_lmdb.py']

__epochs = 7
train_dataloader = dict(dataset=_base_.mjst_train)
optim_wrapper = dict(accumulative_counts=2)
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
auto_scale_lr = dict(base_batch_size=512)
