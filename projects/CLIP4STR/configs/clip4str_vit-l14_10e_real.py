# CLIP4STR-L trained on PARSeq's Real set, 10 epochs at 960 (4 GPUs x 48, accumulating 5
# steps), AdamW at 8.4e-5 x 960 / 512; released as zenodo 8369439 f125500adc.
_base_ = ['_base_clip4str_vit-l14.py', '_base_clip4str_lmdb.py']

__epochs = 10
train_dataloader = dict(batch_size=48)
optim_wrapper = dict(accumulative_counts=5, optimizer=dict(lr=8.4e-5 * 960 / 512))
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
auto_scale_lr = dict(base_batch_size=4 * 48)
