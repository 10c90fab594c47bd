# Domain adaptation SynthText -> ICDAR2015: trained on SynthText only (pre-train schedule),
# tested on ICDAR2015 with the ICDAR2015 test settings.
_base_ = ['tcm-dbnet_clip-r50_fpnc_20e_synthtext-to-icdar2013.py']

val_dataloader = dict(dataset=_base_.icdar2015_textdet_test)
test_dataloader = val_dataloader
