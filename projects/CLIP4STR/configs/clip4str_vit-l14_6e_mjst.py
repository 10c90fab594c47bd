# CLIP4STR-L trained on MJSynth + SynthText, 6 epochs at 960 (4 GPUs x 48, accumulating 5
# steps); released as zenodo 8369439 3544c362f0.
_base_ = ['clip4str_vit-l14_10e_real.py']

__epochs = 6
train_dataloader = dict(dataset=_base_.mjst_train)
param_scheduler = [dict(_base_.param_scheduler[0], end=__epochs)]
train_cfg = dict(max_epochs=__epochs)
