"""Packages the top-level ``configs/`` and ``tools/`` inside the ``tcm`` distribution.

``mim train tcm CONFIG`` looks for ``<installed tcm>/tools/train.py`` and searches the installed
package for CONFIG, so the wheel maps ``configs/`` to ``tcm/configs`` and ``tools/`` to
``tcm/tools``. Everything else lives in pyproject.toml.
"""
from setuptools import find_namespace_packages, find_packages, setup

MAPPED = {'tcm.configs': 'configs', 'tcm.tools': 'tools'}

packages = find_packages(include=['tcm', 'tcm.*'])
for package, folder in MAPPED.items():
    packages += [package] + [f'{package}.{sub}' for sub in find_namespace_packages(folder)]

setup(packages=packages, package_dir=MAPPED)
