# CLIP4STR-B trained on PARSeq's Real set (3.3 M crops), 16 epochs at 8 x 128; released as
# clip4str_base16x16_d70bde1f2d.ckpt.
_base_ = ['_base_clip4str_vit-b16.py', '_base_clip4str_lmdb.py']
