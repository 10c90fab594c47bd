"""Finding the configs that ship with tcm."""
import glob
import os.path as osp

PACKAGE = osp.dirname(osp.dirname(osp.abspath(__file__)))


def find_config(name: str) -> str:
    """Path of a tcm config found by file name, as ``mim`` finds it.

    Looks in the installed package (``tcm/configs``) and, when tcm runs from a
    checkout, in the repository's ``configs/``.
    """
    for root in (osp.join(PACKAGE, 'configs'), osp.join(osp.dirname(PACKAGE), 'configs')):
        found = glob.glob(osp.join(root, '**', name), recursive=True)
        if found:
            return found[0]
    raise FileNotFoundError(f'no tcm config named {name}')
