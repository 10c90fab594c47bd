"""CLIP4STR's label filter on MMOCR's LMDB and JSON datasets, and LMDB trees as one dataset."""
import json

import cv2
import lmdb
import numpy as np
import pytest
from clip4str import CharsetAdapter
from clip4str.converter import DEFAULT_CHARSET
from clip4str.datasets import clean_label, label_filter
from mmocr.registry import DATASETS

from tcm.utils import InputError

LOWER_36 = '0123456789abcdefghijklmnopqrstuvwxyz'


def write_lmdb(path, labels, size=(16, 40)):
    """An LMDB in PARSeq's layout (1-based image-/label- keys, num-samples) of random crops."""
    path.mkdir(parents=True)
    rng = np.random.default_rng(0)
    with lmdb.open(str(path), map_size=1 << 24) as env, env.begin(write=True) as txn:
        for i, label in enumerate(labels, 1):
            img = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
            txn.put(b'image-%09d' % i, cv2.imencode('.png', img)[1].tobytes())
            txn.put(b'label-%09d' % i, label.encode())
        txn.put(b'num-samples', str(len(labels)).encode())
    return str(path)


@pytest.mark.parametrize(
    'text, charset, expected',
    [
        (' Hel lo\t', DEFAULT_CHARSET, 'Hello'),  # whitespace removed
        ('Café', DEFAULT_CHARSET, 'Cafe'),  # NFKD, then ASCII only
        ('naïve-1', LOWER_36, 'naive1'),  # the 36-character test charset lowercases
        ('x' * 25, LOWER_36, 'x' * 25),
        ('ü' * 30, LOWER_36, None),  # 30 characters after NFKD: too long
        ('-' * 26, LOWER_36, None),  # the length is checked before the charset
        ('ß', DEFAULT_CHARSET, None),  # nothing left in ASCII
        ('#!?', LOWER_36, None),  # nothing left in the charset
    ])
def test_labels_are_cleaned_in_the_original_order(text, charset, expected):
    assert clean_label(text, CharsetAdapter(charset), 25)[0] == expected


def test_lmdb_dataset_keeps_cleaned_labels_and_logs_what_it_dropped(tmp_path, monkeypatch):
    root = write_lmdb(tmp_path / 'set', ['Hello', 'a b', 'x' * 26, '!!', 'Ok'])
    logged = []
    monkeypatch.setattr(label_filter, 'print_log', lambda msg, **_: logged.append(msg))
    dataset = DATASETS.build(
        dict(type='FilteredRecogLMDBDataset', ann_file=root, charset=LOWER_36, pipeline=[]))
    assert [d['instances'][0]['text'] for d in dataset] == ['hello', 'ab', 'ok']
    assert 'label filter kept 3 of 5 samples (dropped: 1 empty in the charset, 1 longer than ' \
        'max_label_length)' in logged[0]
    sample = dataset[0]
    assert sample['img'].shape == (16, 40, 3)


def test_json_dataset_applies_the_same_filter(tmp_path):
    (tmp_path / 'imgs').mkdir()
    data_list = []
    for i, text in enumerate(['Word', '', 'Ünïcode']):
        cv2.imwrite(str(tmp_path / 'imgs' / f'{i}.png'), np.zeros((8, 8, 3), np.uint8))
        data_list.append(dict(img_path=f'imgs/{i}.png', instances=[dict(text=text)]))
    (tmp_path / 'ann.json').write_text(
        json.dumps(dict(metainfo=dict(dataset_type='TextRecogDataset'), data_list=data_list)))
    dataset = DATASETS.build(
        dict(
            type='FilteredOCRDataset',
            data_root=str(tmp_path),
            ann_file='ann.json',
            charset=DEFAULT_CHARSET,
            pipeline=[]))
    assert [d['instances'][0]['text'] for d in dataset] == ['Word', 'Unicode']


def test_tree_reads_every_lmdb_below_its_root(tmp_path):
    write_lmdb(tmp_path / 'real' / 'ArT' / 'train', ['one', 'two'])
    write_lmdb(tmp_path / 'real' / 'ArT' / 'val', ['three'])
    write_lmdb(tmp_path / 'real' / 'Uber', ['four', 'x' * 30])
    dataset = DATASETS.build(
        dict(type='LMDBTreeDataset', data_root=str(tmp_path / 'real'), charset=LOWER_36))
    assert len(dataset) == 4
    assert [dataset.get_data_info(i)['instances'][0]['text'] for i in range(4)] == \
        ['one', 'two', 'three', 'four']


def test_a_folder_without_lmdb_is_one_line(tmp_path):
    with pytest.raises(InputError, match=r'/nowhere: no such folder'):
        DATASETS.build(
            dict(type='LMDBTreeDataset', data_root=str(tmp_path / 'nowhere'), charset=LOWER_36))
    with pytest.raises(InputError, match=r'no LMDB \(data.mdb\) in it or below it'):
        DATASETS.build(dict(type='LMDBTreeDataset', data_root=str(tmp_path), charset=LOWER_36))


def corrupt(path, key, value):
    with lmdb.open(str(path)) as env, env.begin(write=True) as txn:
        if value is None:
            txn.delete(key)
        else:
            txn.put(key, value)


def lmdb_set(root, **kwargs):
    return DATASETS.build(
        dict(
            type='FilteredRecogLMDBDataset',
            ann_file=str(root),
            charset=LOWER_36,
            pipeline=[],
            **kwargs))


@pytest.mark.parametrize('key, value, message', [
    (b'num-samples', None, r'key num-samples is missing'),
    (b'num-samples', b'many', r"num-samples is 'many', not a count"),
    (b'label-000000002', None, r'key label-000000002 is missing'),
    (b'label-000000002', b'\xff\xfe', r'key label-000000002 is not UTF-8 text'),
])
def test_a_corrupt_lmdb_is_one_line_naming_the_folder_and_key(tmp_path, key, value, message):
    root = write_lmdb(tmp_path / 'set', ['one', 'two', 'three'])
    corrupt(root, key, value)
    with pytest.raises(InputError, match=f'{tmp_path}/set: {message}'):
        lmdb_set(root)


def test_a_folder_that_is_not_an_lmdb_is_one_line(tmp_path):
    (tmp_path / 'empty').mkdir()
    with pytest.raises(InputError, match=r'/empty: not an LMDB folder \(no data.mdb\)'):
        lmdb_set(tmp_path / 'empty')


@pytest.mark.parametrize('value, why', [(None, 'is missing'),
                                        (b'not an image', 'is not a '
                                         'decodable image'), (b'', 'is not a decodable image')])
def test_a_bad_image_record_is_skipped_in_training_and_an_error_in_testing(tmp_path, value, why):
    root = write_lmdb(tmp_path / 'set', ['one', 'two'])
    corrupt(root, b'image-000000001', value)
    train = lmdb_set(root)
    with pytest.warns(UserWarning, match=f'key image-000000001 {why}; skipped'):
        assert train.prepare_data(0) is None
    assert train[0]['img'].shape == (16, 40, 3)  # another sample drawn
    train.close()  # LMDB allows one environment per folder and process
    with pytest.raises(InputError, match=f'set: key image-000000001 {why}'):
        lmdb_set(root, test_mode=True)[0]
