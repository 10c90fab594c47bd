# DBNet on CLIP's RN50 fine-tuned on icdar2015 from its detection pre-train, as the released models
# were. Run dbnet_clip-r50_fpnc_20e_synthtext-real.py first (or point load_from at yours).
_base_ = ['dbnet_clip-r50_fpnc_1200e_icdar2015.py']

load_from = 'work_dirs/dbnet_clip-r50_fpnc_20e_synthtext-real/epoch_20.pth'
