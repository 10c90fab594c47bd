# CLIP4STR-L trained on RBU (as clip4str_vit-b16_11e_rbu.py), 5 epochs at 1024 (4 GPUs x 64,
# accumulating 4 steps); released as clip4str_large_3c9d881b88.pt (DataComp-1B CLIP).
_base_ = ['_base_clip4str_vit-l14.py', '_base_clip4str_lmdb.py']

__epochs = 5
train_dataloader = dict(batch_size=64, dataset=dict(data_root='data/clip4str/train/rbu'))
optim_wrapper = dict(accumulative_counts=4)
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
auto_scale_lr = dict(base_batch_size=4 * 64)
