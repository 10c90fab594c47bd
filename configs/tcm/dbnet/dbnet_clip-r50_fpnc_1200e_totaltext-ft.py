# DBNet on CLIP's RN50 fine-tuned on totaltext from its detection pre-train, as the released models
# were. Run dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts.py first (or point load_from at
# yours).
_base_ = ['dbnet_clip-r50_fpnc_1200e_totaltext.py']

load_from = 'work_dirs/dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts/epoch_20.pth'
