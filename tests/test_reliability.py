"""Bad data, faults and safe loading: each case meets its documented policy, none a traceback."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time
import warnings

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import DATASETS, MODELS
from PIL import Image

from tcm.utils.errors import InputError

from conftest import small_toy_run, tiny_tcm_cfg

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOY = osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py')
BOX = [10, 10, 90, 10, 90, 40, 10, 40]


def write_image(path, kind):
    """Images a user's dataset may hold; returns nothing (files are made in place)."""
    rng = np.random.default_rng(0)
    color = rng.integers(0, 255, (64, 96, 3), dtype=np.uint8)
    if kind == 'color':
        cv2.imwrite(path, color)
    elif kind == 'gray':
        cv2.imwrite(path, color[..., 0])
    elif kind == 'rgba':
        cv2.imwrite(path, np.dstack([color, np.full((64, 96), 128, np.uint8)]))
    elif kind == '16bit':
        cv2.imwrite(path, color.astype(np.uint16) * 257)
    elif kind == '16bit_gray':
        cv2.imwrite(path, color[..., 0].astype(np.uint16) * 257)
    elif kind == 'exif':
        image = Image.fromarray(color[..., ::-1])
        exif = image.getexif()
        exif[0x0112] = 6  # rotate 90 degrees when displayed
        image.save(path, exif=exif)
    elif kind == 'large':
        cv2.imwrite(path, np.zeros((300, 8200, 3), np.uint8))
    elif kind == 'bmp':
        cv2.imwrite(path, color)
    elif kind == 'zero_byte':
        open(path, 'wb').close()
    elif kind == 'truncated_png':
        cv2.imwrite(path + '.png', color)
        data = open(path + '.png', 'rb').read()
        os.remove(path + '.png')
        open(path, 'wb').write(data[:60])
    elif kind == 'text':
        open(path, 'w').write('this is not an image')
    elif kind == 'html':
        open(path, 'w').write('<html><body>404</body></html>')


# image kind -> (file name, readable?)
IMAGES = {
    'color': ('color.jpg', True),
    'gray': ('gray.jpg', True),
    'rgba': ('rgba.png', True),
    '16bit': ('deep.png', True),
    '16bit_gray': ('deep_gray.png', True),
    'exif': ('exif.jpg', True),
    'large': ('large.png', True),
    'bmp': ('bitmap.bmp', True),
    'zero_byte': ('empty.jpg', False),
    'truncated_png': ('cut.png', False),
    'text': ('notes.jpg', False),
    'html': ('page.jpg', False),
    'missing': ('gone.jpg', False),
}

# polygon case -> (polygon, kept?, warning fragment)
POLYGONS = {
    'valid': (BOX, True, None),
    'two_points': ([10, 10, 50, 10], False, 'fewer than 3 points'),
    'odd_coordinates': ([10, 10, 50, 10, 50], False, 'odd number of coordinates'),
    'nan': ([10, 10, float('nan'), 10, 50, 40, 10, 40], False, 'NaN or infinite'),
    'infinite': ([10, 10, float('inf'), 10, 50, 40, 10, 40], False, 'NaN or infinite'),
    'outside_image': ([-20, 10, 200, 10, 200, 40, -20, 40], True, 'clipped to the image'),
    'entirely_outside': ([500, 500, 600, 500, 600, 560], False, 'no area'),
    'self_intersecting': ([10, 10, 90, 40, 90, 10, 10, 40], True, 'self-intersecting, repaired'),
    'collinear': ([10, 10, 50, 10, 90, 10], False, 'no area'),
    'strings': (['10', '10', '50', '10', '50', '40'], False, 'not a list of numbers'),
    'missing_polygon': (None, False, 'not a list of numbers'),
    'negative_zero_area': ([0, 0, 0, 0, 0, 0], False, 'no area'),
}


def build_corpus(root):
    os.makedirs(osp.join(root, 'imgs'))
    entries = []
    for kind, (name, _) in IMAGES.items():
        if kind != 'missing':
            write_image(osp.join(root, 'imgs', name), kind)
        entries.append(
            dict(
                img_path=f'imgs/{name}',
                height=64,
                width=96,
                instances=[dict(polygon=BOX, bbox_label=0, ignore=False)]))
    for case, (polygon, _, _) in POLYGONS.items():
        write_image(osp.join(root, 'imgs', f'{case}.jpg'), 'color')
        instance = dict(bbox_label=0, ignore=False)
        if polygon is not None:
            instance['polygon'] = polygon
        entries.append(
            dict(
                img_path=f'imgs/{case}.jpg',
                height=64,
                width=96,
                instances=[dict(polygon=BOX, bbox_label=0, ignore=False), instance]))
    write_image(osp.join(root, 'imgs', 'no_text.jpg'), 'color')
    entries.append(dict(img_path='imgs/no_text.jpg', height=64, width=96, instances=[]))
    write_image(osp.join(root, 'imgs', 'all_ignored.jpg'), 'color')
    entries.append(
        dict(
            img_path='imgs/all_ignored.jpg',
            height=64,
            width=96,
            instances=[dict(polygon=BOX, bbox_label=0, ignore=True)]))
    meta = dict(dataset_type='TextDetDataset', task_name='textdet')
    json.dump(dict(metainfo=meta, data_list=entries), open(osp.join(root, 'ann.json'), 'w'))
    return root


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    return build_corpus(str(tmp_path_factory.mktemp('corpus') / 'data'))


def dataset(root, test_mode=False, ann_file='ann.json', **kwargs):
    cfg = Config.fromfile(TOY)
    pipeline = cfg.test_pipeline if test_mode else cfg.train_pipeline
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        built = DATASETS.build(
            dict(
                type='CheckedOCRDataset',
                data_root=root,
                ann_file=ann_file,
                pipeline=pipeline,
                test_mode=test_mode,
                **kwargs))
    return built, [str(w.message) for w in caught]


def index_of(ds, name):
    return next(i for i in range(len(ds)) if ds.get_data_info(i)['img_path'].endswith(name))


@pytest.mark.parametrize('case', POLYGONS)
def test_polygon_policy(corpus, case):
    _, kept, fragment = POLYGONS[case]
    ds, messages = dataset(corpus)
    info = ds.get_data_info(index_of(ds, f'{case}.jpg'))
    assert len(info['instances']) == (2 if kept else 1)
    if fragment:
        assert any(f'imgs/{case}.jpg instance 1' in m and fragment in m for m in messages)
    for instance in info['instances']:
        xs, ys = instance['polygon'][0::2], instance['polygon'][1::2]
        assert 0 <= min(xs) and max(xs) <= 96 and 0 <= min(ys) and max(ys) <= 64


@pytest.mark.parametrize('kind', IMAGES)
def test_image_policy_in_training(corpus, kind):
    name, readable = IMAGES[kind]
    ds, _ = dataset(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        item = ds.prepare_data(index_of(ds, name))
    if readable:
        assert item['inputs'].shape[0] == 3 and item['inputs'].dtype == torch.uint8
    else:
        assert item is None  # skipped: the loader draws another image
        assert any('skipped' in str(w.message) and name in str(w.message) for w in caught)


@pytest.mark.parametrize('kind', [k for k, (_, ok) in IMAGES.items() if not ok])
def test_unreadable_image_in_testing_is_an_error(corpus, kind):
    ds, _ = dataset(corpus, test_mode=True)
    with pytest.raises(InputError, match=f'{IMAGES[kind][0]}: cannot be read as an image'):
        ds.prepare_data(index_of(ds, IMAGES[kind][0]))


def test_exif_orientation_is_ignored(corpus):
    ds, _ = dataset(corpus, test_mode=True)
    item = ds.prepare_data(index_of(ds, 'exif.jpg'))
    assert item['data_samples'].ori_shape == (64, 96)  # stored pixels, not the displayed turn


def test_images_without_text_are_left_out_of_training_only(corpus):
    train, _ = dataset(corpus, filter_cfg=dict(filter_empty_gt=True, min_size=32))
    test, _ = dataset(corpus, test_mode=True)
    names = [train.get_data_info(i)['img_path'] for i in range(len(train))]
    assert not any(n.endswith('no_text.jpg') for n in names)
    assert any(n.endswith('all_ignored.jpg') for n in names)
    assert test.prepare_data(index_of(test, 'no_text.jpg')) is not None


@pytest.mark.parametrize('content,message', [
    ('{"metainfo": {}, "data_list": [', 'not valid JSON'),
    ('', 'not valid JSON'),
    ('[1, 2, 3]', 'not an MMOCR textdet annotation file'),
    ('{"metainfo": {}}', 'not an MMOCR textdet annotation file'),
    ('{"metainfo": {}, "data_list": {"a": 1}}', 'not an MMOCR textdet annotation file'),
    ('{"metainfo": {}, "data_list": [{"height": 4}]}', 'has no "img_path"'),
    ('{"metainfo": {}, "data_list": [{"img_path": "a.jpg", "instances": 7}]}', 'is not a list'),
    ('\x89PNG binary', 'not valid JSON'),
])
def test_bad_annotation_files(tmp_path, content, message):
    (tmp_path / 'ann.json').write_text(content)
    with pytest.raises(InputError, match=message) as info:
        dataset(str(tmp_path))
    assert 'ann.json' in str(info.value) and '\n' not in str(info.value)


def test_missing_folder_and_annotation_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='dataset folder not found'):
        dataset(str(tmp_path / 'nowhere'))
    with pytest.raises(FileNotFoundError, match='annotation file not found: .*absent.json'):
        dataset(str(tmp_path), ann_file='absent.json')


def test_training_steps_on_the_readable_corpus_stay_finite(corpus):
    """Every image the policy keeps, including all-ignored ones, trains without NaN."""
    ds, _ = dataset(corpus)
    model = MODELS.build(tiny_tcm_cfg())
    items = [ds.prepare_data(i) for i in range(len(ds))]
    items = [item for item in items if item is not None]
    assert len(items) >= 20
    for first in range(0, len(items), 4):
        batch = model.data_preprocessor(
            dict(
                inputs=[it['inputs'] for it in items[first:first + 4]],
                data_samples=[it['data_samples'] for it in items[first:first + 4]]), True)
        losses = model.loss(batch['inputs'], batch['data_samples'])
        assert all(torch.isfinite(v) for v in losses.values()), losses


# ---- faults ----------------------------------------------------------------------------------


@pytest.fixture(scope='module')
def slow_toy(tmp_path_factory):
    """A toy run of 3 epochs x 6 iterations, logging every iteration."""
    folder = tmp_path_factory.mktemp('faults')
    _, config = small_toy_run(
        folder,
        num_train=12,
        num_test=2,
        seed=3,
        batch_size=2,
        max_epochs=3,
        extra='default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=1))\n'
        'randomness = dict(seed=0)')
    return folder, config


def train(config, work, *extra, timeout=600):
    return subprocess.run(
        [sys.executable, 'tools/train.py', config, '--work-dir',
         str(work), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout)


def test_killed_run_resumes_with_the_same_schedule(slow_toy):
    folder, config = slow_toy
    reference = folder / 'reference'
    assert train(config, reference).returncode == 0
    killed = folder / 'killed'
    log = open(folder / 'killed.log', 'w')
    proc = subprocess.Popen([sys.executable, 'tools/train.py', config, '--work-dir',
                             str(killed)],
                            cwd=ROOT,
                            stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 300
    while time.time() < deadline and 'Epoch(train) [2][3/6]' not in \
            open(folder / 'killed.log').read().replace('  ', ' '):
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)  # mid-epoch 2: the last checkpoint is epoch_1.pth
    proc.wait()
    assert osp.isfile(killed / 'epoch_1.pth') and not osp.isfile(killed / 'epoch_2.pth')
    resumed = train(config, killed, '--resume')
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert 'resumed epoch: 1, iter: 6' in resumed.stdout + resumed.stderr
    final = torch.load(killed / 'epoch_3.pth', weights_only=True)
    expected = torch.load(reference / 'epoch_3.pth', weights_only=True)
    assert final['meta']['iter'] == expected['meta']['iter'] == 18
    assert final['param_schedulers'] == expected['param_schedulers']
    assert [g['lr'] for g in final['optimizer']['param_groups']] == \
        [g['lr'] for g in expected['optimizer']['param_groups']]
    assert not [f for f in os.listdir(killed) if f.endswith('.tmp')]


def test_checkpoints_are_written_atomically(slow_toy, monkeypatch):
    """A crash while saving leaves neither a truncated checkpoint nor a temporary file."""
    from mmengine.runner import runner as runner_module

    from tcm.utils.cli import build_runner
    folder, config = slow_toy
    cfg = Config.fromfile(config)
    cfg.work_dir = str(folder / 'atomic')
    runner = build_runner(cfg)
    os.makedirs(cfg.work_dir, exist_ok=True)

    def crash(checkpoint, path, **kwargs):
        open(path, 'wb').write(b'half a checkpoint')
        raise OSError('disk full')

    monkeypatch.setattr(runner_module, 'save_checkpoint', crash)
    with pytest.raises(OSError, match='disk full'):
        runner.save_checkpoint(
            cfg.work_dir, 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    assert not [f for f in os.listdir(cfg.work_dir) if 'epoch_1' in f]
    monkeypatch.undo()
    runner.save_checkpoint(
        cfg.work_dir, 'epoch_1.pth', save_optimizer=False, save_param_scheduler=False)
    assert [f for f in os.listdir(cfg.work_dir) if 'epoch_1' in f] == ['epoch_1.pth']


def test_non_finite_loss_stops_before_the_step(slow_toy):
    folder, config = slow_toy
    run = train(config, folder / 'nan', '--cfg-options', 'model.aux_loss.tau=0.0')
    assert run.returncode != 0 and 'Traceback' not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        'error: iteration 1: loss_aux is nan') and 'weights are unchanged' in last
    assert not [f for f in os.listdir(folder / 'nan') if f.endswith('.pth')]


# ---- safe loading ----------------------------------------------------------------------------


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_checkpoint_with_code_is_refused_by_the_tools(slow_toy, tmp_path):
    folder, config = slow_toy
    reference = torch.load(folder / 'reference' / 'epoch_3.pth', weights_only=True)
    marker = tmp_path / 'ran'
    evil = tmp_path / 'evil.pth'
    torch.save(dict(state_dict=reference['state_dict'], meta=dict(x=Payload(marker))), evil)
    test = subprocess.run(
        [sys.executable, 'tools/test.py', config,
         str(evil), '--work-dir',
         str(tmp_path / 'w')],
        cwd=ROOT,
        capture_output=True,
        text=True)
    assert test.returncode != 0 and 'Traceback' not in test.stderr
    assert f'{evil}: loading it would unpickle arbitrary objects (posix.system)' in test.stderr
    assert '--unsafe-load' in test.stderr and not marker.exists()


def test_unsafe_load_is_an_explicit_opt_in(slow_toy, tmp_path):
    import argparse
    folder, config = slow_toy
    reference = torch.load(folder / 'reference' / 'epoch_3.pth', weights_only=True)
    odd = tmp_path / 'odd.pth'
    torch.save(
        dict(state_dict=reference['state_dict'], meta=dict(args=argparse.Namespace(a=1))), odd)
    args = [sys.executable, 'tools/test.py', config, str(odd), '--work-dir', str(tmp_path / 'w')]
    refused = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and 'argparse.Namespace' in refused.stderr
    accepted = subprocess.run(args + ['--unsafe-load'], cwd=ROOT, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr[-2000:]
