# CLIP4STR-H trained on RBU (6.5 M crops: Real, the benchmarks' training splits and Union14M-L,
# as LMDBs under data/clip4str/train/rbu), 4 epochs at 1024 (4 GPUs x 32, accumulating 8 steps);
# released as clip4str_huge_5eef9f86e2.pt (LAION-2B CLIP) and clip4str_huge_3e942729b1.pt (DFN-5B).
_base_ = ['_base_clip4str_vit-h14.py', '_base_clip4str_lmdb.py']

__epochs = 4
train_dataloader = dict(batch_size=32, dataset=dict(data_root='data/clip4str/train/rbu'))
optim_wrapper = dict(accumulative_counts=8)
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
auto_scale_lr = dict(base_batch_size=4 * 32)
