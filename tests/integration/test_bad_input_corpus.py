"""Predictable mistakes, tried as a new user would: every bad file, value and argument through
every tool that takes it. Each case asserts the exit status, one ``error:`` line naming the
right file or value (no traceback) and that nothing was written or silently wrong.

The tools run in-process (``main(argv)``), which is what ``python tools/X.py`` runs; faults
that need a real process (Ctrl-C, a killed save, a second training) are at the end.
"""
import json
import logging
import os
import os.path as osp
import runpy
import shutil
import signal
import subprocess
import sys
import time

import mmocr
import pytest
import torch
from mmengine.config import Config

from builders import ROOT, small_toy_run

pytestmark = pytest.mark.slow

BASELINE = osp.join(ROOT, 'configs/tcm/dbnet/dbnet_clip-tiny_fpnc_toy.py')
CRNN = osp.join(osp.dirname(mmocr.__file__), '.mim/configs/textrecog/crnn/crnn_mini-vgg_5e_mj.py')


class Payload:
    """Unpickling this would create a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def model_state(config, **cfg_options):
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(cfg_options)
    init_default_scope('mmocr')
    return MODELS.build(cfg.model).state_dict()


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    """A toy set and config, checkpoints good and bad, a recognizer, an image."""
    root = tmp_path_factory.mktemp('corpus')
    data, config = small_toy_run(root, num_train=4, num_test=2, seed=5, batch_size=2, max_epochs=1)
    files = dict(root=root, data=data, config=config)
    tcm_state = model_state(config)
    files['good'] = root / 'good.pth'
    torch.save(dict(state_dict=tcm_state, meta=dict()), files['good'])
    files['dbnet'] = root / 'dbnet.pth'  # a plain DBNet: another architecture
    torch.save(
        dict(state_dict=model_state(BASELINE, **{'model.backbone.input_resolution': 128})),
        files['dbnet'])
    files['empty'] = root / 'empty.pth'
    files['empty'].write_bytes(b'')
    files['cut'] = root / 'cut.pth'
    files['cut'].write_bytes(files['good'].read_bytes()[:1000])
    files['image'] = root / 'photo.jpg'
    images = osp.join(data, 'textdet_imgs', 'test')
    shutil.copy(osp.join(images, sorted(os.listdir(images))[0]), files['image'])
    files['listed'] = root / 'list.pth'
    torch.save([1, 2, 3], files['listed'])
    files['folder'] = root / 'a_folder.pth'
    files['folder'].mkdir()
    files['marker'] = root / 'code_ran'
    files['evil'] = root / 'evil.pth'
    torch.save(dict(state_dict=tcm_state, meta=dict(x=Payload(files['marker']))), files['evil'])
    rec = Config.fromfile(CRNN)
    files['rec'] = root / 'crnn.py'
    rec.dump(str(files['rec']))
    files['rec_good'] = root / 'crnn.pth'
    torch.save(dict(state_dict=model_state(str(files['rec']))), files['rec_good'])
    files['syntax'] = root / 'syntax.py'
    files['syntax'].write_text(f"_base_ = ['{config}']\nmodel = dict(type='TCMDetector'\n")
    files['undefined'] = root / 'undefined.py'
    files['undefined'].write_text(f"_base_ = ['{config}']\nmodel = dict(type=TCMDetector)\n")
    return files


def call(monkeypatch, capsys, tool, *argv):
    """``(exit status, stderr)`` of ``python tools/TOOL argv`` run in this process."""
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '0')  # --unsafe-load stays local
    # MMEngine's loggers outlive a test and keep its closed capture stream: stay quiet on it
    monkeypatch.setattr(logging, 'raiseExceptions', False)
    main = runpy.run_path(osp.join(ROOT, 'tools', tool), run_name='corpus')['main']
    code = 0
    try:
        main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    if isinstance(code, str):  # sys.exit('error: ...') prints it and exits 1
        err, code = err + code + '\n', 1
    return code, err


def fill(args, world, tmp_path):
    return [str(a).format(tmp=tmp_path, **world) for a in args]


#: (file fixture, what the one line says about it) for each bad checkpoint.
BAD_CHECKPOINTS = [
    ('dbnet', 'tensors missing or misshaped (e.g. '),
    ('empty', 'an empty file, not a checkpoint'),
    ('cut', 'not a readable PyTorch checkpoint (truncated, corrupt or another format'),
    ('image', 'not a readable PyTorch checkpoint'),
    ('listed', 'holds no state dict of tensors'),
    ('folder', 'a folder, not a checkpoint file'),
    ('evil', 'loading it would unpickle arbitrary objects (posix.system), which can run code'),
]

#: how each tool takes a detector checkpoint.
CHECKPOINT_USERS = {
    'infer --weights':
    ('infer.py',
     ['{image}', '--config', '{config}', '--weights', '{ckpt}', '--out-dir', '{tmp}/out']),
    'test': ('test.py', ['{config}', '{ckpt}', '--work-dir', '{tmp}/work']),
    'train load_from':
    ('train.py', ['{config}', '--work-dir', '{tmp}/work', '--cfg-options', 'load_from={ckpt}']),
    'train --resume': ('train.py', ['{config}', '--work-dir', '{tmp}/work', '--resume', '{ckpt}']),
}


def assert_one_line(code, err, message, expected_code=1):
    assert code == expected_code, err[-3000:]
    assert 'Traceback' not in err
    last = err.strip().splitlines()[-1]
    assert message in last, last


@pytest.mark.parametrize('user', CHECKPOINT_USERS)
@pytest.mark.parametrize('name,message', BAD_CHECKPOINTS)
def test_bad_detector_checkpoints(world, tmp_path, monkeypatch, capsys, user, name, message):
    tool, args = CHECKPOINT_USERS[user]
    if name in ('dbnet', 'listed') and user == 'train --resume':
        message = 'holds no training state'  # read before its tensors are compared
    code, err = call(monkeypatch, capsys, tool, *fill(args, dict(world, ckpt=world[name]),
                                                      tmp_path))
    assert_one_line(code, err, message)
    assert err.strip().splitlines()[-1].startswith(f'error: {world[name]}')  # the right file
    if name == 'dbnet' and user != 'train --resume':
        assert f'is this a checkpoint of {world["config"]}?' in err
        assert ('partial_load=True' in err) == (user == 'train load_from')
    assert not world['marker'].exists()
    assert not (tmp_path / 'out' / 'preds').exists() or not os.listdir(tmp_path / 'out' / 'preds')


@pytest.mark.parametrize('name,message', BAD_CHECKPOINTS[1:])
def test_bad_recognizer_checkpoints_are_named_as_such(world, tmp_path, monkeypatch, capsys, name,
                                                      message):
    code, err = call(monkeypatch, capsys, 'infer.py', world['image'], '--config', world['config'],
                     '--weights', world['good'], '--out-dir', tmp_path / 'out', '--rec',
                     world['rec'], '--rec-weights', world[name])
    assert_one_line(code, err, message)
    assert err.strip().splitlines()[-1].startswith(f'error: {world[name]}')
    assert str(world['good']) not in err and not world['marker'].exists()


def test_a_detector_checkpoint_as_recognizer_weights_is_refused(world, tmp_path, monkeypatch,
                                                                capsys):
    code, err = call(monkeypatch, capsys, 'infer.py', world['image'], '--config', world['config'],
                     '--weights', world['good'], '--out-dir', tmp_path / 'out', '--rec',
                     world['rec'], '--rec-weights', world['good'])
    assert_one_line(code, err, f'is this a checkpoint of {world["rec"]}?')


def test_unsafe_load_opens_the_pickle_but_an_image_stays_an_image(world, tmp_path, monkeypatch,
                                                                  capsys):
    code, err = call(monkeypatch, capsys, 'infer.py', world['image'], '--config', world['config'],
                     '--weights', world['image'], '--out-dir', tmp_path / 'out', '--unsafe-load')
    assert_one_line(code, err, 'not a readable PyTorch checkpoint')
    assert 'unsafe' not in err.strip().splitlines()[-1]


#: (tool, arguments, exit status, what the last line says), for configs and values.
#: a good infer.py command line, to which each case adds its mistake.
INFER = ['{image}', '--config', '{config}', '--weights', '{good}', '--out-dir', '{tmp}/o']

BAD_VALUES = [
    ('infer.py', INFER + ['--batch-size', '0'], 2, "argument --batch-size: 0 is not a positive"),
    ('infer.py', INFER + ['--batch-size', '-1'], 2, 'argument --batch-size: -1 is not a'),
    ('infer.py', INFER + ['--batch-size', 'two'], 2, "'two' is not a whole number"),
    ('infer.py', INFER + ['--num-workers', '-1'], 2, 'argument --num-workers: -1 is negative'),
    pytest.param(
        'infer.py',
        INFER + ['--device', 'cuda'],
        1,
        '--device cuda: no CUDA GPU is visible on this machine',
        marks=pytest.mark.skipif(torch.cuda.is_available(), reason='has a GPU')),
    ('infer.py', INFER + ['--device', 'toaster'], 1, '--device toaster: '),
    ('infer.py', ['{image}', '--config', '{syntax}', '--weights', '{good}', '--out-dir',
                  '{tmp}/o'], 1, 'syntax.py: cannot be read as a config (SyntaxError'),
    ('infer.py',
     ['{image}', '--config', '{undefined}', '--weights', '{good}', '--out-dir',
      '{tmp}/o'], 1, "(NameError: name 'TCMDetector' is not defined)"),
    ('infer.py', INFER + ['--cfg-options', 'model.det_head.postprocessor.text_repr_typ=poly'], 1,
     'did you mean model.det_head.postprocessor.text_repr_type?'),
    ('infer.py', INFER + ['--cfg-options', 'model.backbone.width=wide'], 1,
     "expected a number like the config's 16, got 'wide'"),
    ('infer.py', ['{image}', '--config', '{config}', '--weights', '{good}', '--out-dir',
                  '{image}'], 1, 'a file, not a folder'),
    ('infer.py',
     ['{tmp}/nothing.jpg', '--config', '{config}', '--weights', '{good}', '--out-dir',
      '{tmp}/o'], 1, 'input not found'),
    ('infer.py', INFER + ['--rec', '{rec}'], 1, '--rec and --rec-weights go together'),
    ('test.py', ['{config}', '{good}', '--work-dir', '{tmp}/w', '--cfg-options',
                 'max_epochs=1'], 1, 'max_epochs is a variable of'),
    ('test.py', [
        '{config}', '{good}', '--work-dir', '{tmp}/w', '--cfg-options',
        'test_dataloader.batch_size=0'
    ], 1, 'must be a whole number of at least 1'),
    ('test.py', ['{config}', '{good}', '--work-dir', '{tmp}/w', '--launcher',
                 'pytorch'], 1, '--launcher pytorch expects to be started by torchrun'),
    ('test.py', ['{syntax}', '{good}', '--work-dir', '{tmp}/w'], 1, 'cannot be read as a config'),
    ('test.py', ['{tmp}/none.py', '{good}', '--work-dir', '{tmp}/w'], 1, 'config file not found'),
    ('train.py', ['{config}', '--work-dir', '{tmp}/w', '--cfg-options', 'max_epochs=1'], 1,
     'overriding it changes nothing; set train_cfg.max_epochs instead'),
    ('train.py',
     ['{config}', '--work-dir', '{tmp}/w', '--cfg-options',
      'train_dataloader.batch_sise=1'], 1, 'did you mean train_dataloader.batch_size?'),
    ('train.py',
     ['{config}', '--work-dir', '{tmp}/w', '--cfg-options',
      'train_dataloader.batch_size=-1'], 1, 'at least 1, got -1'),
    ('train.py', ['{config}', '--work-dir', '{tmp}/w', '--cfg-options',
                  'optim_wraper.lr=1'], 1, 'did you mean optim_wrapper?'),
    ('train.py', ['{config}', '--work-dir', '{tmp}/w', '--launcher',
                  'slurm'], 1, '--launcher slurm expects to be started by srun'),
    ('train.py', ['{undefined}', '--work-dir', '{tmp}/w'], 1, 'cannot be read as a config'),
    ('analysis_tools/benchmark.py', ['{config}', '--batch-size',
                                     '0'], 2, '--batch-size: 0 is not a positive number'),
    ('analysis_tools/benchmark.py', ['{config}', '--runs',
                                     '0'], 2, '--runs: 0 is not a positive number'),
    ('analysis_tools/benchmark.py', ['{config}', '--shape', '0',
                                     '64'], 2, '--shape: 0 is not a positive number'),
    ('analysis_tools/benchmark.py', ['{config}', '--warmup', '-1'], 2, '--warmup: -1 is negative'),
    pytest.param(
        'analysis_tools/benchmark.py', ['{config}', '--device', 'cuda:0'],
        1,
        '--device cuda:0: no CUDA GPU is visible',
        marks=pytest.mark.skipif(torch.cuda.is_available(), reason='has a GPU')),
    ('analysis_tools/benchmark.py', ['{syntax}'], 1, 'cannot be read as a config'),
    ('dataset_converters/make_toy_dataset.py', ['{tmp}/toy', '--num-train',
                                                '0'], 2, '--num-train: 0 is not a positive number'),
    ('dataset_converters/make_toy_dataset.py', ['{tmp}/toy', '--size',
                                                '-64'], 2, '--size: -64 is not a positive number'),
]


@pytest.mark.parametrize('tool,args,status,message', BAD_VALUES)
def test_bad_configs_values_and_arguments(world, tmp_path, monkeypatch, capsys, tool, args, status,
                                          message):
    for name in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT', 'SLURM_PROCID'):
        monkeypatch.delenv(name, raising=False)
    code, err = call(monkeypatch, capsys, tool, *fill(args, world, tmp_path))
    assert_one_line(code, err, message, status)
    assert not osp.exists(tmp_path / 'o') and not osp.exists(tmp_path / 'toy')


def write_dataset(world, tmp_path, mutate):
    """A copy of the toy training list, changed by ``mutate(data_list)``."""
    ann = json.load(open(osp.join(world['data'], 'textdet_train.json')))
    mutate(ann['data_list'])
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(ann))
    return path


@pytest.mark.parametrize('mutate,message', [
    (lambda dl: dl[0]['instances'][0].update(ignore='false'), '"ignore" is "false" (a string)'),
    (lambda dl: dl[0]['instances'][0].update(bbox_label='0'), '"bbox_label"'),
    (lambda dl: dl[0]['instances'][0].update(text=7), '"text"'),
    (lambda dl: dl[1].update(width=-3), '"width"'),
    (lambda dl: dl.clear(), 'no usable image after filtering'),
    (lambda dl: [i.update(polygon=[0, 0]) for d in dl
                 for i in d['instances']], 'no usable image after filtering'),
    (lambda dl: [d.update(img_path='missing/' + d['img_path'])
                 for d in dl], 'no usable image after filtering'),
])
def test_bad_training_data_is_one_line_before_training(world, tmp_path, monkeypatch, capsys, mutate,
                                                       message):
    ann = write_dataset(world, tmp_path, mutate)
    code, err = call(monkeypatch, capsys, 'train.py', world['config'], '--work-dir', tmp_path / 'w',
                     '--cfg-options', f'train_dataloader.dataset.ann_file={ann}')
    assert_one_line(code, err, message)
    assert str(ann) in err.strip().splitlines()[-1]
    assert not [f for f in os.listdir(tmp_path / 'w') if f.endswith('.pth')]


def test_an_empty_test_list_is_one_line(world, tmp_path, monkeypatch, capsys):
    ann = write_dataset(world, tmp_path, lambda dl: dl.clear())
    code, err = call(monkeypatch, capsys, 'test.py', world['config'], world['good'], '--work-dir',
                     tmp_path / 'w', '--cfg-options', f'test_dataloader.dataset.ann_file={ann}')
    assert_one_line(code, err, f'{ann}: no image to test on')


@pytest.mark.parametrize('content', ['', 'nowhere/epoch_9.pth'])
def test_resume_from_a_broken_last_checkpoint_record(world, tmp_path, monkeypatch, capsys, content):
    work = tmp_path / 'w'
    work.mkdir()
    (work / 'last_checkpoint').write_text(content)
    code, err = call(monkeypatch, capsys, 'train.py', world['config'], '--work-dir', work,
                     '--resume')
    assert_one_line(
        code, err, f'{work}/last_checkpoint names {content or "no file"!r}, which '
        'does not exist; pass --resume CHECKPOINT')


def test_a_second_run_into_an_out_dir_needs_force_and_then_replaces_all(
        world, tmp_path, monkeypatch, capsys):
    out = tmp_path / 'out'
    (out / 'preds').mkdir(parents=True)
    (out / 'preds' / 'earlier.json').write_text('{}')
    args = [
        world['image'], '--config', world['config'], '--weights', world['good'], '--out-dir', out
    ]
    code, err = call(monkeypatch, capsys, 'infer.py', *args)
    assert_one_line(code, err, f'--out-dir {out} holds 1 results of an earlier run; pass --force')
    assert os.listdir(out / 'preds') == ['earlier.json']
    code, err = call(monkeypatch, capsys, 'infer.py', *args, '--force')
    assert code == 0, err
    assert os.listdir(out / 'preds') == ['photo.json'] and os.listdir(out / 'vis') == ['photo.jpg']


def test_a_full_disk_is_an_error_and_leaves_no_empty_file(world, tmp_path, monkeypatch, capsys):
    import tcm.utils.atomic as atomic
    real = atomic.make_temp_file

    def on_full_disk(folder, prefix):
        handle, path = real(folder, prefix)
        os.close(handle)
        return os.open('/dev/full', os.O_WRONLY), path  # every write: ENOSPC

    monkeypatch.setattr(atomic, 'make_temp_file', on_full_disk)
    out = tmp_path / 'out'
    code, err = call(monkeypatch, capsys, 'infer.py', world['image'], '--config', world['config'],
                     '--weights', world['good'], '--out-dir', out)
    assert_one_line(code, err, f'cannot write {out}/preds/photo.json: No space left on device')
    assert not [f for sub in ('preds', 'vis') for f in os.listdir(out / sub)]


def test_ctrl_c_in_infer_is_a_line_and_130(world, tmp_path, monkeypatch, capsys):
    import tcm.apis

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tcm.apis, 'run_inference', interrupted)
    code, err = call(monkeypatch, capsys, 'infer.py', world['image'], '--config', world['config'],
                     '--weights', world['good'], '--out-dir', tmp_path / 'o')
    assert code == 130 and err.strip().startswith('interrupted; the results written so far')


def train_process(world, work, *extra):
    return subprocess.Popen([
        sys.executable, 'tools/train.py', world['config'], '--work-dir', work, '--cfg-options',
        'train_cfg.max_epochs=200', 'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1', *extra
    ],
                            cwd=ROOT,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            text=True)


def wait_for(proc, text, timeout=300):
    """Read ``proc``'s output until ``text`` (spaces aside: MMEngine pads its counters)."""
    text, seen, deadline = text.replace(' ', ''), '', time.time() + timeout
    while time.time() < deadline and text not in seen:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen += line.replace(' ', '')
    assert text in seen, seen[-3000:]
    return seen


def test_faults_in_real_runs(world, tmp_path):
    """Ctrl-C is a line and 130; a second training in the same work dir is refused; a
    temporary checkpoint left by a killed save is removed by --resume; load_from a checkpoint
    of another model trains with partial_load=True and says what it left out."""
    work = tmp_path / 'w'
    first = train_process(world, work)
    wait_for(first, 'Epoch(train) [2][2/2]')
    second = subprocess.run([sys.executable, 'tools/train.py', world['config'], '--work-dir', work],
                            cwd=ROOT,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert first.poll() is None, 'the first training ended before the second one started'
    assert second.returncode == 1 and 'Traceback' not in second.stderr, second.stderr[-3000:]
    assert f'error: {work} is in use by another training (pid {first.pid})' in second.stderr
    first.send_signal(signal.SIGINT)
    try:
        rest = first.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:  # it landed in a finaliser, which Python ignores: again
        first.send_signal(signal.SIGINT)
        rest = first.communicate(timeout=60)[0]
    assert first.returncode == 130, (first.returncode, rest[rest.find('Traceback'):][:3000])
    assert 'Traceback' not in rest
    assert 'interrupted after iteration' in rest and 'with --resume' in rest
    (work / '.epoch_3.pth.tmp').write_bytes(b'half')  # what a kill during a save leaves
    resumed = subprocess.run([
        sys.executable, 'tools/train.py', world['config'], '--work-dir', work, '--resume',
        '--cfg-options', 'train_cfg.max_epochs=3'
    ],
                             cwd=ROOT,
                             capture_output=True,
                             text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert 'left by a run killed while saving' in resumed.stdout + resumed.stderr
    assert not (work / '.epoch_3.pth.tmp').exists() and (work / 'epoch_3.pth').exists()
    partial = subprocess.run([
        sys.executable, 'tools/train.py', world['config'], '--work-dir', tmp_path / 'p',
        '--cfg-options', f'load_from={world["dbnet"]}', 'partial_load=True',
        'train_cfg.max_epochs=1'
    ],
                             cwd=ROOT,
                             capture_output=True,
                             text=True,
                             timeout=300)
    assert partial.returncode == 0, partial.stderr[-3000:]
    assert 'partial_load: ' in partial.stdout + partial.stderr
    assert 'tensors missing or misshaped' in partial.stdout + partial.stderr
