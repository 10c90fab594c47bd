from .ranger import Ranger

__all__ = ['Ranger']
