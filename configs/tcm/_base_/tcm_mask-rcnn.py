# The TCM block for Mask R-CNN, MMDetection's two-stage detector inside MMOCR's MMDetWrapper:
# tcm.py's parts and settings, given to the wrapped detector (model.cfg), whose class becomes
# TCMMaskRCNN. The score map joins the 1/32 level before the FPN and the auxiliary loss takes
# its targets from the instance masks, at the score map's resolution (whole regions).
#     _base_ = ['<baseline config>.py', '../_base_/tcm_mask-rcnn.py']
#     model = _base_.tcm_mask_rcnn.model
_base_ = ['tcm.py']

__tcm = _base_.tcm.model
tcm_mask_rcnn = dict(
    model=dict(
        cfg=dict(__tcm, type='TCMMaskRCNN', aux_loss=dict(__tcm.aux_loss, type='TCMMaskAuxLoss'))))
