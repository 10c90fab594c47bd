# The pre-train whose TCM version (32 prompts) the CTW1500 and Total-Text fine-tunes start from,
# as DBNet on CLIP's RN50. The original also mixed in SynthText150k (which MMOCR does not
# prepare), MLT17 and MSRA-TD500 + HUST-TR400; this one adds MLT17 (icdar2017) and TD500 to the
# four sets of dbnet_clip-r50_fpnc_20e_synthtext-real.py.
_base_ = [
    'dbnet_clip-r50_fpnc_20e_synthtext-real.py',
    '../_base_/datasets/icdar2017.py',
    '../_base_/datasets/td500.py',
]

train_dataloader = dict(
    dataset=dict(datasets=_base_.train_list + [
        _base_.icdar2017_textdet_train, _base_.td500_textdet_train
    ]))
