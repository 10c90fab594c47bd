# The TCM block for detectors whose targets are whole text regions (FCENet, as the original's
# TCM-FCENet; TextSnake; DRRG): the score map joins the 1/32 level and the auxiliary loss
# compares full text regions at the score map's 1/32 (no shrinking, no upsampling).
_base_ = ['tcm.py']

tcm = dict(model=dict(aux_loss=dict(shrink_ratio=1.0, min_sidelength=0, upsample=False)))
