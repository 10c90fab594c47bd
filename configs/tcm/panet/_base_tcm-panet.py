# The TCM block as TCM-PANet uses it (as the original): the auxiliary loss compares full text
# regions with PANet's OHEM-sampled dice loss.
_base_ = ['../_base_/tcm.py']

tcm = dict(
    model=dict(
        aux_loss=dict(
            shrink_ratio=1.0,
            min_sidelength=0,
            loss=dict(type='OHEMDiceWithLogitsLoss', negative_ratio=3))))
