"""CheckedOCRDataset type-checks every field MMOCR reads from an annotation, in one line naming
the file, the image, the instance and the field; empty sets are named errors, not crashes."""
import json
import os.path as osp
import warnings

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmocr.registry import DATASETS

from tcm.utils.errors import InputError

from builders import TOY_CONFIG

BOX = [10, 10, 90, 10, 90, 40, 10, 40]
TEXT = dict(polygon=BOX, bbox_label=0, ignore=False, text='word')


def write_set(root, entries, images=('a.jpg', )):
    """``root/ann.json`` with ``entries``, and the named images in ``root``."""
    for name in images:
        cv2.imwrite(osp.join(root, name), np.full((64, 96, 3), 200, np.uint8))
    with open(osp.join(root, 'ann.json'), 'w') as f:
        json.dump(dict(metainfo=dict(task_name='textdet'), data_list=entries), f)


def entry(*instances, name='a.jpg', **fields):
    return dict(dict(img_path=name, height=64, width=96, instances=list(instances)), **fields)


def build(root, test_mode=False, pipeline=(), **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return DATASETS.build(
            dict(
                type='CheckedOCRDataset',
                data_root=str(root),
                ann_file='ann.json',
                pipeline=list(pipeline),
                test_mode=test_mode,
                **kwargs))


@pytest.mark.parametrize('field,value,message', [
    ('ignore', 'false', r'"ignore" is "false" \(a string\); need true or false'),
    ('ignore', 'true', r'"ignore" is "true" \(a string\); need true or false'),
    ('ignore', 2, r'"ignore" is 2 \(a number\)'),
    ('ignore', 0.0, r'"ignore" is 0.0 \(a number\)'),
    ('ignore', None, r'"ignore" is null'),
    ('ignore', ..., r'"ignore" is missing'),
    ('bbox_label', True, r'"bbox_label" is true \(a boolean\); need an integer >= 0'),
    ('bbox_label', '0', r'"bbox_label" is "0" \(a string\)'),
    ('bbox_label', 0.5, r'"bbox_label" is 0.5'),
    ('bbox_label', -1, r'"bbox_label" is -1'),
    ('text', 7, r'"text" is 7 \(a number\); need a string'),
    ('text', None, r'"text" is null'),
    ('text', ['a'], r'"text" is \["a"\] \(a list\)'),
])
def test_a_wrong_instance_field_is_one_line_naming_it(tmp_path, field, value, message):
    bad = dict(TEXT)
    if value is ...:
        del bad[field]
    else:
        bad[field] = value
    write_set(tmp_path, [entry(TEXT), entry(TEXT, bad, name='b.jpg')], ('a.jpg', 'b.jpg'))
    for test_mode in (False, True):
        with pytest.raises(InputError, match=message) as info:
            build(tmp_path, test_mode=test_mode)
        assert str(info.value).startswith(f'{tmp_path}/ann.json: b.jpg instance 1: ')
        assert '\n' not in str(info.value)


def test_an_instance_that_is_not_an_object_is_named(tmp_path):
    write_set(tmp_path, [entry(TEXT, 'oops')])
    with pytest.raises(InputError, match=r'a.jpg instance 1: is "oops" \(a string\)'):
        build(tmp_path)


@pytest.mark.parametrize('fields,message', [
    (dict(width='96'), r'a.jpg: "width" is "96" \(a string\); need a positive number'),
    (dict(height=0), r'a.jpg: "height" is 0 \(a number\); need a positive number'),
    (dict(width=-5), r'"width" is -5'),
    (dict(height=True), r'"height" is true \(a boolean\)'),
    (dict(width=float('inf')), r'"width" is Infinity'),
    (dict(img_path=3), r'data_list entry 0: "img_path" is 3 \(a number\); need a path'),
    (dict(img_path=''), r'data_list entry 0: "img_path" is ""'),
    (dict(img_path=None), r'data_list entry 0: "img_path" is null'),
])
def test_a_wrong_image_field_is_one_line_naming_it(tmp_path, fields, message):
    write_set(tmp_path, [entry(TEXT, **fields)])
    with pytest.raises(InputError, match=message) as info:
        build(tmp_path)
    assert 'ann.json' in str(info.value) and '\n' not in str(info.value)


def test_ignore_is_read_as_a_bool_and_absent_fields_keep_their_defaults(tmp_path):
    flags = [True, False, 1, 0]
    instances = [dict(polygon=BOX, ignore=flag) for flag in flags]
    write_set(tmp_path, [dict(img_path='a.jpg', instances=instances)])
    info = build(tmp_path).get_data_info(0)
    assert [i['ignore'] for i in info['instances']] == [True, False, True, False]
    assert all(type(i['ignore']) is bool and i['bbox_label'] == 0 for i in info['instances'])


def test_ignored_flags_reach_the_model_as_written(tmp_path):
    write_set(tmp_path, [entry(TEXT, dict(TEXT, ignore=True), dict(TEXT, ignore=0))])
    item = build(tmp_path, pipeline=Config.fromfile(TOY_CONFIG).test_pipeline)[0]
    assert item['data_samples'].gt_instances.ignored.tolist() == [False, True, False]


def polygonless(name):
    return entry(dict(TEXT, polygon=[1, 1, 2, 2]), name=name)


@pytest.mark.parametrize('entries,images,kwargs,why', [
    ([], (), {}, 'its data_list is empty'),
    ([polygonless(f'{i}.jpg')
      for i in range(12)], [f'{i}.jpg'
                            for i in range(12)], {}, '12 images: 12 without a valid polygon'),
    ([entry(TEXT, name=f'{i}.jpg') for i in range(3)], (), {}, '3 images: 3 missing'),
    ([entry(name='a.jpg'), polygonless('b.jpg'),
      entry(TEXT, name='c.jpg')], ('a.jpg', 'b.jpg'), dict(filter_cfg=dict(filter_empty_gt=True)),
     '3 images: 1 without a text instance, 1 without a valid polygon, 1 missing'),
    ([entry(dict(TEXT, ignore=True))], ('a.jpg', ), {}, '1 images: 1 with every text ignored'),
    ([entry(TEXT)],
     ('a.jpg', ), dict(filter_cfg=dict(min_size=100)), '1 images: 1 smaller than min_size=100'),
])
def test_a_training_set_with_nothing_to_learn_is_one_line_saying_why(tmp_path, entries, images,
                                                                     kwargs, why):
    write_set(tmp_path, entries, images)
    with pytest.raises(InputError) as info:
        build(tmp_path, **kwargs)
    assert str(info.value) == f'{tmp_path}/ann.json: no usable image after filtering ({why})'


def test_an_empty_test_set_is_one_line(tmp_path):
    write_set(tmp_path, [], ())
    with pytest.raises(InputError) as info:
        build(tmp_path, test_mode=True)
    assert str(info.value) == f'{tmp_path}/ann.json: no image to test on (its data_list is empty)'


def test_a_set_with_one_usable_image_loads_through_a_dataloader(tmp_path):
    write_set(
        tmp_path,
        [polygonless('a.jpg'), entry(TEXT, name='b.jpg'),
         entry(name='c.jpg')], ('a.jpg', 'b.jpg'))
    dataset = build(tmp_path, pipeline=Config.fromfile(TOY_CONFIG).train_pipeline)
    assert len(dataset) == 3  # images without text are kept without filter_empty_gt
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=2, sampler=[1, 1], collate_fn=pseudo_collate)
    assert len(next(iter(loader))['inputs']) == 2
