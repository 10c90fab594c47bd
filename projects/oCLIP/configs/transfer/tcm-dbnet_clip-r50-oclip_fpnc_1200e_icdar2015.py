# TCM-DBNet on ICDAR2015 from oCLIP: oCLIP's RN50 trunk under OpenAI CLIP's attention pool and
# text tower (tools/convert_oclip_ckpt.py --to tcm --clip RN50.pt). TCM's prompts and score map
# live in CLIP's 1024-d joint space, which oCLIP's 384-d pool and character text tower do not
# share, so this start is an experiment of its own, not a reproduction of either paper.
_base_ = [
    '../../../../configs/tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py', '_oclip_weights.py'
]

model = dict(clip_pretrained=_base_.oclip_clip)
