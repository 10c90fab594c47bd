# The converted oCLIP weights the transfer configs start from (tools/convert_oclip_ckpt.py):
# --to mmocr for MMOCR's detectors (CLIPResNet), --to tcm --clip RN50.pt for TCM.
oclip_backbone = 'work_dirs/oclip/oclip_rn50_mmocr.pth'
oclip_clip = 'work_dirs/oclip/oclip_rn50_trunk_clip.pth'
