from .one_cycle import GroupOneCycleLR
from .param_groups import CLIP4STROptimWrapperConstructor

__all__ = ['CLIP4STROptimWrapperConstructor', 'GroupOneCycleLR']
