# The TCM block as TCM-FCENet uses it (as the original): the score map joins the last of the
# three levels, and the auxiliary loss compares full text regions at the score map's 1/32.
_base_ = ['../_base_/tcm.py']

tcm = dict(model=dict(aux_loss=dict(shrink_ratio=1.0, min_sidelength=0, upsample=False)))
