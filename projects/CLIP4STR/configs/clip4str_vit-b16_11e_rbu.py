# CLIP4STR-B trained on RBU (6.5 M crops: Real, the benchmarks' training splits and Union14M-L,
# as LMDBs under data/clip4str/train/rbu), 11 epochs at 1024 (4 GPUs x 256); released as
# clip4str_base_6e9fe947ac.pt (DataComp-1B CLIP, run with QuickGELU as the original does).
_base_ = ['_base_clip4str_vit-b16.py', '_base_clip4str_lmdb.py']

__epochs = 11
train_dataloader = dict(batch_size=256, dataset=dict(data_root='data/clip4str/train/rbu'))
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
auto_scale_lr = dict(base_batch_size=4 * 256)
