# TCM-DBNet fine-tuned on ctw1500 from its detection pre-train, as the released models were. Run
# tcm-dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts.py first (or point load_from at yours).
_base_ = ['tcm-dbnet_clip-r50_fpnc_1200e_ctw1500.py']

load_from = 'work_dirs/tcm-dbnet_clip-r50_fpnc_20e_synthtext-real-32prompts/epoch_20.pth'
