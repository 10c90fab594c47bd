# Few-shot TCM-DBNet: tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py trained on a fixed 10% of its
# training images (FewShotOCRDataset: the same images for the same ratio and seed, on any machine).
_base_ = ['tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py']

train_dataloader = dict(dataset=dict(type='FewShotOCRDataset', ratio=0.1, seed=0))
