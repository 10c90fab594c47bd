"""Packages the top-level ``configs/``, ``tools/`` and ``projects/`` inside the ``tcm`` distribution.

``mim train tcm CONFIG`` looks for ``<installed tcm>/tools/train.py`` and searches the installed
package for CONFIG, so the wheel maps ``configs/`` to ``tcm/configs``, ``tools/`` to
``tcm/tools`` and ``projects/`` (packages, configs, dictionaries; not their tests) to
``tcm/projects``, where ``tcm.utils.read_config`` finds a project's package for the configs that
import it. Everything else lives in pyproject.toml.
"""
from setuptools import find_namespace_packages, find_packages, setup

MAPPED = {'tcm.configs': 'configs', 'tcm.tools': 'tools', 'tcm.projects': 'projects'}

packages = find_packages(include=['tcm', 'tcm.*'])
for package, folder in MAPPED.items():
    packages += [package] + [
        f'{package}.{sub}' for sub in find_namespace_packages(folder, exclude=['*.tests'])
    ]

setup(packages=packages, package_dir=MAPPED, package_data={'tcm.projects': ['*/*/dicts/*.txt']})
