"""The toy set and the MSRA-TD500 / HUST-TR400 converter, read back through MMOCR's datasets."""
import json
import math
import os
import os.path as osp
import warnings

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmocr.registry import DATASETS

from tcm.datasets import convert_td500, make_toy_textdet, make_toy_textrecog
from tcm.datasets.converters import rotated_box
from tcm.datasets.textdet_json import write_textdet_json
from tcm.utils.errors import InputError

from builders import ROOT


def fake_archive(folder, names, lines):
    os.makedirs(folder)
    for name in names:
        cv2.imwrite(osp.join(folder, f'{name}.JPG'), np.full((120, 160, 3), 200, np.uint8))
        with open(osp.join(folder, f'{name}.gt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')


@pytest.fixture
def td500(tmp_path):
    lines = ['0 0 10 20 40 12 0', '1 1 60 60 50 10 0.5']
    fake_archive(str(tmp_path / 'MSRA-TD500/train'), ['IMG_0001', 'IMG_0002'], lines)
    fake_archive(str(tmp_path / 'MSRA-TD500/test'), ['IMG_0101'], lines)
    fake_archive(str(tmp_path / 'HUST-TR400'), ['IMG_0500'], lines)
    return tmp_path


def test_rotated_box_rotates_about_the_centre():
    assert rotated_box(10, 20, 40, 10, 0) == [10, 20, 50, 20, 50, 30, 10, 30]
    quad = np.array(rotated_box(10, 20, 40, 10, math.pi / 2)).reshape(4, 2)
    np.testing.assert_allclose(quad.mean(0), [30, 25])
    np.testing.assert_allclose(quad[0], [35, 5], atol=1e-6)  # top-left swung to the top-right


def test_td500_with_tr400_converts_and_loads(td500):
    out = str(td500 / 'data/td500')
    counts = convert_td500(str(td500 / 'MSRA-TD500'), out, str(td500 / 'HUST-TR400'))
    assert counts == dict(train=3, test=1)
    train = json.load(open(osp.join(out, 'textdet_train.json')))
    first = train['data_list'][0]
    assert (first['height'], first['width']) == (120, 160)
    assert [i['ignore'] for i in first['instances']] == [False, True]
    assert first['instances'][0]['polygon'] == [10, 20, 50, 20, 50, 32, 10, 32]

    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_td500.py'))
    test_set = cfg.test_dataloader.dataset
    test_set.data_root = out
    item = DATASETS.build(test_set)[0]
    assert item['data_samples'].gt_instances.ignored.tolist() == [False, True]


def test_td500_bad_input(td500):
    with pytest.raises(FileNotFoundError, match='nowhere/train: no such folder'):
        convert_td500(str(td500 / 'nowhere'), str(td500 / 'out'))
    with open(td500 / 'MSRA-TD500/test/IMG_0101.gt', 'a') as f:
        f.write('7 0 1 2 three 4 0\n')
    with pytest.raises(
            ValueError, match=r'IMG_0101.gt:3: expected "index difficult x y w h theta"'):
        convert_td500(str(td500 / 'MSRA-TD500'), str(td500 / 'out'))
    assert not (td500 / 'out').exists()
    assert not [p for p in os.listdir(td500) if p.startswith('.out')]
    os.remove(td500 / 'HUST-TR400/IMG_0500.JPG')
    with pytest.raises(FileNotFoundError, match='IMG_0500.gt: its image IMG_0500.JPG is missing'):
        convert_td500(str(td500 / 'MSRA-TD500'), str(td500 / 'out2'), str(td500 / 'HUST-TR400'))


def test_tr400_images_named_like_td500_ones_are_both_kept(tmp_path):
    lines = ['0 0 10 20 40 12 0']
    fake_archive(str(tmp_path / 'MSRA-TD500/train'), ['IMG_0001'], lines)
    fake_archive(str(tmp_path / 'MSRA-TD500/test'), ['IMG_0101'], lines)
    os.makedirs(tmp_path / 'HUST-TR400')
    cv2.imwrite(str(tmp_path / 'HUST-TR400/IMG_0001.JPG'), np.zeros((90, 70, 3), np.uint8))
    (tmp_path / 'HUST-TR400/IMG_0001.gt').write_text('0 1 5 5 30 10 0\n')
    out = str(tmp_path / 'out')
    assert convert_td500(str(tmp_path / 'MSRA-TD500'), out, str(tmp_path / 'HUST-TR400')) == \
        dict(train=2, test=1)
    train = json.load(open(osp.join(out, 'textdet_train.json')))['data_list']
    assert [d['img_path'] for d in train] == \
        ['textdet_imgs/train/IMG_0001.JPG', 'textdet_imgs/train/tr400_IMG_0001.JPG']
    for d, ignored in zip(train, [False, True]):
        assert cv2.imread(osp.join(out, d['img_path'])).shape[:2] == (d['height'], d['width'])
        assert d['instances'][0]['ignore'] is ignored
    assert (train[0]['height'], train[1]['height']) == (120, 90)


@pytest.mark.parametrize('line', [
    '2 0 nan 20 40 12 0', '2 0 10 20 inf 12 0', '2 0 10 20 40 12 -Infinity', '2 nan 1 2 3 4 0',
    '2 0 1e308 20 1e308 12 0'
])
def test_td500_boxes_with_non_finite_values_are_skipped(td500, line):
    with open(td500 / 'MSRA-TD500/test/IMG_0101.gt', 'a') as f:
        f.write(line + '\n')
    out = str(td500 / 'out')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        convert_td500(str(td500 / 'MSRA-TD500'), out)
    assert [str(w.message) for w in caught] == \
        [f'{td500}/MSRA-TD500/test/IMG_0101.gt:3: NaN or infinite value in {line!r}; box skipped']

    def refuse(constant):
        raise AssertionError(f'{constant} written')

    test = json.loads(open(osp.join(out, 'textdet_test.json')).read(), parse_constant=refuse)
    assert len(test['data_list'][0]['instances']) == 2


def test_textdet_json_refuses_nan(tmp_path):
    path = str(tmp_path / 'ann.json')
    entry = dict(img_path='a.jpg', instances=[dict(polygon=[0, 0, 1, float('nan'), 1, 1])])
    with pytest.raises(InputError, match='ann.json: not written, a value is NaN or infinite'):
        write_textdet_json(path, [entry])
    assert not osp.exists(path)


def test_toy_set_layout_and_determinism(tmp_path):
    a = make_toy_textdet(str(tmp_path / 'a'), num_train=3, num_test=2, size=96, seed=5)
    b = make_toy_textdet(str(tmp_path / 'b'), num_train=3, num_test=2, size=96, seed=5)
    ja, jb = (json.load(open(osp.join(r, 'textdet_train.json'))) for r in (a, b))
    assert ja == jb and len(ja['data_list']) == 3
    for entry in ja['data_list']:
        assert osp.isfile(osp.join(a, entry['img_path']))
        for instance in entry['instances']:
            xs, ys = instance['polygon'][0::2], instance['polygon'][1::2]
            assert 0 <= min(xs) and max(xs) < 96 and 0 <= min(ys) and max(ys) < 96
            assert 3 <= len(instance['text']) <= 8 and instance['text'].isalnum()
    with pytest.raises(FileExistsError, match='already exists'):
        make_toy_textdet(a)


def test_toy_word_crops_layout_and_determinism(tmp_path):
    a = make_toy_textrecog(str(tmp_path / 'a'), num_train=4, num_test=2, seed=5)
    b = make_toy_textrecog(str(tmp_path / 'b'), num_train=4, num_test=2, seed=5)
    ja, jb = (json.load(open(osp.join(r, 'textrecog_test.json'))) for r in (a, b))
    assert ja == jb and ja['metainfo']['task_name'] == 'textrecog' and len(ja['data_list']) == 2
    dataset = DATASETS.build(
        dict(type='OCRDataset', data_root=a, ann_file='textrecog_train.json', pipeline=[]))
    assert len(dataset) == 4
    for i in range(4):
        info = dataset.get_data_info(i)
        img = cv2.imread(info['img_path'])
        text = info['instances'][0]['text']
        assert 3 <= len(text) <= 8 and text.isalnum()
        assert img.shape[1] > img.shape[0] >= 16  # a word: wider than tall
    with pytest.raises(FileExistsError, match='already exists'):
        make_toy_textrecog(a)


def test_few_shot_subset_is_fixed_by_ratio_and_seed(tmp_path):
    root = make_toy_textdet(str(tmp_path / 'toy'), num_train=20, num_test=2, size=64, seed=1)

    def images(**kwargs):
        dataset = DATASETS.build(
            dict(
                type='FewShotOCRDataset',
                data_root=root,
                ann_file='textdet_train.json',
                pipeline=[],
                **kwargs))
        return [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]

    ten = images(ratio=0.1, seed=0)
    assert len(ten) == 2 and ten == images(ratio=0.1, seed=0)
    assert ten != images(ratio=0.1, seed=1) or ten != images(ratio=0.1, seed=2)
    assert len(images(ratio=0.5)) == 10 and len(images()) == 20


@pytest.mark.parametrize('kwargs,message', [
    (dict(ratio=0), r'ratio=0 must be a number in \(0, 1\]'),
    (dict(ratio=1.5), 'ratio=1.5 must be'),
    (dict(ratio='10%'), "ratio='10%' must be"),
    (dict(data_root='nowhere'), 'dataset folder not found: nowhere'),
    (dict(ann_file='missing.json'), 'annotation file not found: .*missing.json'),
])
def test_few_shot_bad_input(tmp_path, kwargs, message):
    root = make_toy_textdet(str(tmp_path / 'toy'), num_train=2, num_test=1, size=64)
    cfg = dict(type='FewShotOCRDataset', data_root=root, ann_file='textdet_train.json')
    cfg.update(kwargs)
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        DATASETS.build(cfg)


def test_nighttime_art_coco_annotations_load(tmp_path):
    root = tmp_path / 'nighttime_art'
    (root / 'test_images').mkdir(parents=True)
    (root / 'test_gts/gt_jsons').mkdir(parents=True)
    cv2.imwrite(str(root / 'test_images/night_1.jpg'), np.zeros((50, 80, 3), np.uint8))
    coco = dict(
        images=[dict(id=1, file_name='night_1.jpg', height=50, width=80)],
        categories=[dict(id=1, name='text')],
        annotations=[
            dict(
                id=1,
                image_id=1,
                category_id=1,
                bbox=[5, 5, 30, 10],
                area=300,
                iscrowd=0,
                segmentation=[[5, 5, 35, 5, 35, 15, 5, 15]])
        ])
    (root / 'test_gts/gt_jsons/instances_all_test.json').write_text(json.dumps(coco))
    cfg = Config.fromfile(
        osp.join(ROOT,
                 'configs/tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015_test-nighttime-art.py'))
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.data_root = str(root)
    item = DATASETS.build(dataset_cfg)[0]
    assert len(item['data_samples'].gt_instances.polygons) == 1
