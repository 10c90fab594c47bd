"""The benchmark and training time-split tools run and report what they promise."""
import os
import subprocess
import sys

import pytest
import torch

from builders import ROOT

pytestmark = pytest.mark.slow

TOY = 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py'


def run(*args):
    return subprocess.run([sys.executable, *args],
                          cwd=ROOT,
                          capture_output=True,
                          text=True,
                          timeout=600)


def test_benchmark_reports_each_config_against_the_first():
    out = run('tools/analysis_tools/benchmark.py', TOY, TOY, '--shape', '128', '160', '--runs', '2',
              '--warmup', '1', '--amp', '--amp-dtype', 'bfloat16')
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [line for line in out.stdout.splitlines() if line.startswith('tcm-dbnet_clip-tiny')]
    assert len(rows) == 2 and rows[0].split()[5] == '1.000' and rows[0].split()[1] == 'pytorch'
    assert 'cpu amp bfloat16, batch 1, median of 2' in out.stdout and ' 128x160 ' in rows[0]


def test_benchmark_rejects_bad_input():
    assert 'divisible by 32' in run('tools/analysis_tools/benchmark.py', TOY, '--shape', '100',
                                    '128').stderr
    assert 'config file not found' in run('tools/analysis_tools/benchmark.py', 'nope.py').stderr
    assert '--amp-dtype needs --amp' in run('tools/analysis_tools/benchmark.py', TOY, '--amp-dtype',
                                            'float16').stderr


def test_train_time_split_covers_the_iteration():
    out = run('tools/analysis_tools/train_time_split.py', TOY, '--shape', '128', '128', '--runs',
              '1', '--batch-size', '2')
    assert out.returncode == 0, out.stderr[-2000:]
    for part in ('data', 'forward', 'aux_targets', 'aux_loss', 'head_loss', 'backward', 'total'):
        assert f'  {part}' in out.stdout


def test_train_time_split_needs_a_tcm_config():
    out = run('tools/analysis_tools/train_time_split.py',
              'configs/tcm/dbnet/dbnet_clip-r50_fpnc_1200e_icdar2015.py', '--runs', '1')
    assert out.returncode != 0 and 'for TCM configs' in out.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason='with a GPU the script runs for minutes')
def test_gpu_checks_say_when_there_is_no_gpu(tmp_path):
    out = subprocess.run(['bash', 'tools/analysis_tools/benchmark_gpu.sh',
                          str(tmp_path)],
                         cwd=ROOT,
                         capture_output=True,
                         text=True,
                         timeout=120,
                         env=dict(os.environ, PYTHON=sys.executable))
    assert out.returncode != 0
    assert out.stderr.strip().splitlines()[-1] == 'error: no CUDA GPU visible to torch'


def test_flops_tool_counts_tcm_and_its_baseline():
    baseline = 'configs/tcm/dbnet/dbnet_clip-tiny_fpnc_toy.py'
    out = run('tools/analysis_tools/get_flops.py', baseline, TOY, '--shape', '128', '128')
    assert out.returncode == 0, out.stderr[-2000:]
    rows = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines()[1:]}
    plain, tcm = rows['dbnet_clip-tiny_fpnc_toy.py'], rows['tcm-dbnet_clip-tiny_fpnc_toy.py']
    assert plain[0] == tcm[0] == '128x128'
    assert float(tcm[1]) > float(plain[1]) > 0  # TCM adds arithmetic
    assert float(plain[4]) == 0 and float(tcm[4]) > 0  # the frozen text tower
    from mmengine.registry import init_default_scope

    from tcm.analysis import complexity
    from tcm.utils import build_from_config
    init_default_scope('mmocr')
    counted = complexity(TOY, (128, 128))
    model, _ = build_from_config(TOY)
    assert counted['all'] == sum(p.numel() for p in model.parameters())
    assert counted['all'] == counted['trainable'] + counted['frozen']
    refused = run('tools/analysis_tools/get_flops.py', TOY, '--shape', '100', '128')
    assert refused.returncode == 1 and 'not divisible by 32' in refused.stderr


def test_benchmark_times_onnxruntime_beside_pytorch():
    out = run('tools/analysis_tools/benchmark.py', TOY, '--shape', '128', '160', '--runs', '2',
              '--warmup', '1', '--backend', 'pytorch', 'onnxruntime')
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [line.split() for line in out.stdout.splitlines() if line.startswith('tcm-dbnet')]
    assert [r[1] for r in rows] == ['pytorch', 'onnxruntime'] and float(rows[1][4]) > 0


def test_folder_throughput_times_infer_against_the_network(tmp_path):
    out = run('tools/analysis_tools/folder_throughput.py', TOY, '--images', '3', '--size', '160',
              '120', '--rounds', '1', '--num-workers', '1', '0')
    assert out.returncode == 0, out.stderr[-2000:]
    row = [line.split() for line in out.stdout.splitlines() if line.startswith('tcm-dbnet')][0]
    height, width = map(int, row[1].split('x'))
    assert height % 32 == width % 32 == 0  # as the data preprocessor pads the photos
    model, with_workers, ratio, in_process = (float(row[i]) for i in (2, 3, 4, 5))
    assert model > 0 and with_workers > 0 and in_process > 0
    rounding = with_workers / model * (0.05 / model + 0.05 / with_workers) + 5e-4  # 0.1 ms, 1e-3
    assert ratio == pytest.approx(with_workers / model, abs=rounding)
    (tmp_path / 'one.jpg').write_bytes(b'not an image')
    refused = run('tools/analysis_tools/folder_throughput.py', TOY, '--folder', tmp_path,
                  '--batch-size', '2')
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines(
    )[-1] == 'error: found 1 files, fewer than one batch of 2'
