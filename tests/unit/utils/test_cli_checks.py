"""What every tool checks before it starts: counts, devices, launchers, config files."""
import argparse

import pytest
import torch

from tcm.utils import InputError, read_config
from tcm.utils.cli import check_device, check_launcher, positive_int, run_tool


@pytest.mark.parametrize('text', ['0', '-1', 'x', '1.5'])
def test_counts_must_be_positive_whole_numbers(text):
    with pytest.raises(argparse.ArgumentTypeError):
        positive_int(text)
    assert positive_int('3') == 3


@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has a GPU')
def test_a_missing_gpu_is_one_line():
    with pytest.raises(InputError, match='--device cuda: no CUDA GPU is visible'):
        check_device('cuda')
    with pytest.raises(InputError, match='--device gpu0: '):
        check_device('gpu0')
    assert check_device('cpu') == 'cpu'


def test_a_launcher_without_its_starter_is_one_line(monkeypatch):
    for name in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(
            InputError,
            match=r'--launcher pytorch expects to be started by '
            r'torchrun --nproc-per-node N \(RANK, WORLD_SIZE'):
        check_launcher('pytorch')
    check_launcher('none')
    for name, value in dict(RANK='0', WORLD_SIZE='1', MASTER_ADDR='x', MASTER_PORT='1').items():
        monkeypatch.setenv(name, value)
    check_launcher('pytorch')


@pytest.mark.parametrize('text,message', [
    ("model = dict(type='X'\n", 'SyntaxError'),
    ('model = dict(type=Undefined)\n', "NameError: name 'Undefined' is not defined"),
    ("custom_imports = dict(imports=['no_such_package_xyz'])\n", 'custom_imports: '),
])
def test_configs_python_cannot_read_are_one_line(tmp_path, text, message):
    path = tmp_path / 'bad.py'
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_config(str(path))
    assert str(err.value).startswith(f'{path}: ') and message in str(err.value)


def test_ctrl_c_is_a_line_and_status_130(capsys):

    def interrupted_main():
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as exit_:
        run_tool(interrupted_main, interrupted=lambda: 'interrupted after iteration 3')
    assert exit_.value.code == 130
    assert capsys.readouterr().err == 'interrupted after iteration 3\n'


def test_ctrl_c_turned_into_another_error_by_a_library_is_still_ctrl_c(capsys):
    """MMEngine's ``Config.pretty_text`` (run at every checkpoint save) has a bare
    ``except:`` that re-raises Ctrl-C as ``SyntaxError``: a CI flake before this."""

    def formatting_config():
        try:
            raise KeyboardInterrupt
        except:  # noqa: E722
            raise SyntaxError('Failed to format the config file')

    with pytest.raises(SystemExit) as exit_:
        run_tool(formatting_config, interrupted=lambda: 'interrupted')
    assert exit_.value.code == 130 and capsys.readouterr().err == 'interrupted\n'


def test_a_bug_keeps_its_traceback():

    def buggy():
        raise ZeroDivisionError('a bug')

    with pytest.raises(ZeroDivisionError):
        run_tool(buggy)
