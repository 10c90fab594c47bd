"""Configs that import a tcm project's package read without PYTHONPATH (tools, mim, APIs)."""
import os
import subprocess
import sys

from tcm.utils import find_project_folder

from builders import ROOT


def test_projects_are_found_by_their_package():
    assert find_project_folder('clip4str') == os.path.join(ROOT, 'projects', 'CLIP4STR')
    assert find_project_folder('oclip') == os.path.join(ROOT, 'projects', 'oCLIP')
    assert find_project_folder('no_such_package') is None


def test_a_config_inheriting_a_project_config_imports_its_package(tmp_path):
    config = tmp_path / 'mine.py'
    config.write_text(
        f"_base_ = ['{ROOT}/projects/CLIP4STR/configs/clip4str_vit-b16_16e_real.py']\n"
        "custom_imports = dict(imports=['clip4str', 'oclip'])\n")
    code = ('import sys; from tcm.utils import read_config; cfg = read_config(sys.argv[1]); '
            'from mmocr.registry import MODELS; '
            "print(MODELS.get('CLIP4STR').__module__, MODELS.get('OCLIP').__module__)")
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    out = subprocess.run([sys.executable, '-c', code, str(config)],
                         cwd=ROOT,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ['clip4str.models.clip4str', 'oclip.models.oclip']
