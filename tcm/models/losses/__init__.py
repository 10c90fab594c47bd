"""Losses MMOCR 1.x lacks."""
from .ohem_dice_loss import OHEMDiceWithLogitsLoss

__all__ = ['OHEMDiceWithLogitsLoss']
