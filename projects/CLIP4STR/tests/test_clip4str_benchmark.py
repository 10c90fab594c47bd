"""The benchmark tool times recognizers: CLIP4STR full and its visual branch alone, at their
test pipeline's crop size and a given batch."""
import os
import sys

import pytest
from test_clip4str import TINY
from test_clip4str_training_setup import RECIPES

from tcm.analysis import benchmark
from tcm.utils.errors import InputError

from builders import ROOT, run_ok

DETECTOR = os.path.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')


@pytest.fixture(scope='module')
def configs(tmp_path_factory):
    folder = tmp_path_factory.mktemp('bench')
    tiny = {k: v for k, v in TINY.items() if k != 'dictionary'}
    full, visual = folder / 'tiny_full.py', folder / 'tiny_visual.py'
    full.write_text(f"_base_ = ['{RECIPES[0]}']\nmodel = {tiny!r}\n")
    visual.write_text(f"_base_ = ['{full}']\nmodel = dict(cross_branch=False)\n")
    return str(full), str(visual)


def test_recognizers_are_timed_per_batch_at_their_crop_size(configs):
    rows = benchmark(list(configs), None, runs=1, warmup=0, batch_size=3)
    assert [row['shape'] for row in rows] == [(224, 224)] * 2
    assert all(row['recognizer'] and row['model'] > 0 and row['postprocess'] > 0 for row in rows)
    rows = benchmark(list(configs[:1]), (32, 64), runs=1, warmup=0)
    assert rows[0]['shape'] == (32, 64)
    abinet, = benchmark(['mmocr::textrecog/abinet/abinet-vision_20e_st-an_mj.py'],
                        None,
                        runs=1,
                        warmup=0)
    assert abinet['shape'] == (32, 128) and abinet['recognizer']


def test_detectors_and_recognizers_are_not_mixed(configs):
    with pytest.raises(InputError, match='separate runs'):
        benchmark([configs[0], DETECTOR], None, runs=1, warmup=0)


@pytest.mark.slow
def test_benchmark_tool_reports_words_per_second(configs):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'projects', 'CLIP4STR'))
    out = run_ok(
        sys.executable,
        'tools/analysis_tools/benchmark.py',
        *configs,
        '--batch-size',
        '2',
        '--runs',
        '1',
        '--warmup',
        '0',
        env=env)
    assert 'cpu, batch 2, median of 1 interleaved runs' in out and 'words/s' in out
    rows = [line.split() for line in out.splitlines() if line.startswith('tiny_')]
    assert [r[0] for r in rows] == ['tiny_full.py', 'tiny_visual.py']
    assert all(r[1:3] == ['pytorch', '224x224'] for r in rows) and rows[0][5] == '1.000'
