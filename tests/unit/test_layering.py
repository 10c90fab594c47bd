"""Each part of the package imports only the parts below it, so a reader can trust the layers."""
import ast
import glob
import os.path as osp

import pytest

from builders import ROOT

#: package part -> the parts of tcm it may import (besides itself and tcm.version)
LAYERS = {
    'utils': set(),
    'models': {'utils'},
    'datasets': {'utils'},
    'engine': {'utils'},
    'visualization': {'utils'},
    'deployment': {'utils'},
    'apis': {'utils', 'models', 'engine', 'visualization', 'deployment'},
    'analysis': {'utils', 'models', 'engine', 'deployment', 'apis'},
}


def tcm_imports(path):
    """The ``tcm.<part>`` names a module imports (relative imports resolved)."""
    package = osp.relpath(osp.dirname(path), ROOT).split(osp.sep)
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                name = '.'.join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ''
            names = [name] + [f'{name}.{alias.name}' for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n.split('.')[1] for n in names if n.startswith('tcm.') and n.count('.') >= 1)
    return found - {'version'}


@pytest.mark.parametrize('part', sorted(LAYERS))
def test_part_imports_only_lower_layers(part):
    modules = glob.glob(osp.join(ROOT, 'tcm', part, '**', '*.py'), recursive=True)
    assert modules
    for module in modules:
        upward = tcm_imports(module) - LAYERS[part] - {part}
        assert not upward, f'{osp.relpath(module, ROOT)} imports tcm.{", tcm.".join(upward)}'


def test_tcm_imports_no_project():
    """Projects build on tcm; tcm never imports them (they hand results over as files)."""
    projects = {
        osp.basename(osp.dirname(p))
        for p in glob.glob(osp.join(ROOT, 'projects', '*', '*', '__init__.py'))
    }
    assert 'clip4str' in projects
    for module in glob.glob(osp.join(ROOT, 'tcm', '**', '*.py'), recursive=True):
        for node in ast.walk(ast.parse(open(module).read())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ''] if isinstance(node, ast.ImportFrom) and not node.level else []
            used = {n.split('.')[0] for n in names} & projects
            assert not used, f'{osp.relpath(module, ROOT)} imports the project {used}'


def test_every_part_has_a_layer():
    packages = glob.glob(osp.join(ROOT, 'tcm', '*', '__init__.py'))
    parts = {osp.basename(osp.dirname(p)) for p in packages}
    assert parts == set(LAYERS)
