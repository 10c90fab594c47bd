"""The bad-data policy of CheckedOCRDataset: each case of a 40-case corpus meets its documented
policy, and none ends in a traceback."""
import json
import os
import os.path as osp
import warnings

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import DATASETS, MODELS
from PIL import Image

from tcm.utils.errors import InputError

from builders import TOY_CONFIG as TOY
from builders import tiny_tcm_cfg

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
