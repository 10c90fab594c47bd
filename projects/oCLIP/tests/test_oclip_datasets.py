"""oCLIP's weak labels: TSV, MMOCR JSON and SynthText's gt.mat; word rules counted; the
recipe's pipeline; unreadable images; the schedule and the weight-decay rule."""
import json
import math
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmocr.registry import DATASETS, MODELS
from mmocr.utils import register_all_modules
from oclip import SYNTHTEXT_DICT
from oclip.converter import to_original
from oclip.datasets import words_dataset
from oclip.datasets.synthtext import synthtext_words, write_words_tsv
from oclip.optim import WarmupCosineLR
from test_oclip_model import TINY

from tcm.utils.errors import InputError

from builders import ROOT

register_all_modules(init_default_scope=True)  # also when this file runs alone
RECIPE = osp.join(ROOT, 'projects', 'oCLIP', 'configs', 'oclip_rn50_100e_synthtext.py')
CHARS = set(map(chr, range(33, 127)))


def test_word_rules():
    words = ['ok', '', 'naïve', 'x' * 30] + [f'w{i}' for i in range(40)]
    kept, notes = words_dataset.clean_words(words, CHARS, 32, 25)
    assert kept == ['ok', 'x' * 30] + [f'w{i}' for i in range(30)]
    assert notes == {
        'empty words dropped': 1,
        'words with characters outside the dictionary dropped': 1,
        'words after the 32th left out': 10,
        'words cut to 24 characters': 1
    }


def write_images(folder, names):
    (folder / 'imgs').mkdir(exist_ok=True)
    for name in names:
        cv2.imwrite(str(folder / 'imgs' / name), np.full((40, 60, 3), 120, np.uint8))


def build(folder, ann_file, test_mode=False):
    cfg = Config.fromfile(RECIPE)
    return DATASETS.build(
        dict(
            cfg.train_dataloader.dataset,
            data_root=str(folder),
            ann_file=ann_file,
            test_mode=test_mode))


def test_tsv_rows_are_cleaned_and_counted(tmp_path, monkeypatch):
    write_images(tmp_path, ['a.jpg', 'b.jpg', 'c.jpg'])
    (tmp_path / 'words.tsv').write_text('filepath\ttitle\nimgs/a.jpg\tHello "World"\n'
                                        'imgs/b.jpg\tnaïve  café\nimgs/c.jpg\tx\n')
    logged = []
    monkeypatch.setattr(words_dataset, 'print_log', lambda msg, **_: logged.append(msg))
    dataset = build(tmp_path, 'words.tsv')
    assert [dataset.get_data_info(i)['words'] for i in range(len(dataset))] == \
        [['Hello', '"World"'], ['x']]
    assert logged[0].endswith('words.tsv: 2 of 3 images kept; 1 empty words dropped, 1 images '
                              'without any word left dropped, 2 words with characters outside '
                              'the dictionary dropped')
    sample = dataset[0]
    assert sample['inputs'].shape == (3, 512, 512) and sample['inputs'].dtype == torch.uint8
    data = sample['data_samples']
    assert data.text_ids.shape == (32, 25) and data.image_mask.shape == (16, 16)
    assert (data.mask_slots >= 0).sum() == 2 and (data.text_ids == 95).sum() == 0


def test_mmocr_textdet_json_gives_each_images_words(tmp_path):
    write_images(tmp_path, ['a.jpg'])
    instances = [
        dict(text='CLIP', polygon=[0, 0, 1, 0, 1, 1]),
        dict(text='###'),
        dict(text='hidden', ignore=True),
        dict(text='OCR')
    ]
    (tmp_path / 'textdet_train.json').write_text(
        json.dumps(dict(metainfo={}, data_list=[dict(img_path='imgs/a.jpg', instances=instances)])))
    assert build(tmp_path, 'textdet_train.json').get_data_info(0)['words'] == ['CLIP', 'OCR']
    # boxes without words (an older toy set, a detection-only JSON): nothing to pair
    (tmp_path / 'boxes.json').write_text(
        json.dumps(
            dict(
                metainfo={},
                data_list=[dict(img_path='imgs/a.jpg', instances=[dict(polygon=[0, 0, 1, 1])])])))
    with pytest.raises(
            InputError,
            match=r'boxes.json: 0 of 1 images kept; 1 images without any '
            r'word left dropped, 1 instances without text dropped: nothing to train'):
        build(tmp_path, 'boxes.json')


def test_bad_files_are_one_line_and_unreadable_images_follow_tcms_policy(tmp_path):
    (tmp_path / 'cols.tsv').write_text('path\twords\nx.jpg\tab\n')
    with pytest.raises(InputError, match=r'cols.tsv: no column filepath, title \(has path, '):
        build(tmp_path, 'cols.tsv')
    with pytest.raises(FileNotFoundError, match='annotation file not found'):
        build(tmp_path, 'nope.tsv')
    (tmp_path / 'gone.tsv').write_text('filepath\ttitle\nimgs/gone.jpg\tword\n')
    with pytest.warns(UserWarning, match='skipped .*gone.jpg: cannot be read as an image'):
        assert build(tmp_path, 'gone.tsv').prepare_data(0) is None
    with pytest.raises(InputError, match='gone.jpg: cannot be read as an image'):
        build(tmp_path, 'gone.tsv', test_mode=True)[0]


def test_synthtext_gt_mat_becomes_a_words_file(tmp_path):
    scipy_io = pytest.importorskip('scipy.io')
    names, texts = np.empty((1, 2), dtype=object), np.empty((1, 2), dtype=object)
    names[0, 0], names[0, 1] = np.array(['8/ballet_106_0.jpg']), np.array(['8/b_1.jpg'])
    texts[0, 0] = np.array(['Lines of  ', 'text\nhere'])
    texts[0, 1] = np.array(['"Quoted"'])
    scipy_io.savemat(tmp_path / 'gt.mat', dict(imnames=names, txt=texts, charBB=np.zeros(1)))
    pairs = list(synthtext_words(str(tmp_path / 'gt.mat')))
    assert pairs == [('8/ballet_106_0.jpg', ['Lines', 'of', 'text', 'here']),
                     ('8/b_1.jpg', ['"Quoted"'])]
    assert write_words_tsv(pairs, str(tmp_path / 'w.tsv')) == 2
    assert (tmp_path / 'w.tsv').read_text().splitlines() == [
        'filepath\ttitle', '8/ballet_106_0.jpg\tLines of text here', '8/b_1.jpg\t"Quoted"'
    ]
    with pytest.raises(FileExistsError, match='pass --force'):
        write_words_tsv(pairs, str(tmp_path / 'w.tsv'))
    (tmp_path / 'bad.mat').write_bytes(b'not matlab')
    with pytest.raises(InputError, match='bad.mat: not a readable MATLAB file'):
        list(synthtext_words(str(tmp_path / 'bad.mat')))


def test_schedule_is_the_originals_warmup_then_cosine():
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-4)
    schedule = WarmupCosineLR.build_iter_from_epoch(
        optimizer, warmup_iters=30, begin=0, end=4, epoch_length=25)
    rates = []
    for _ in range(100):
        rates.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        schedule.step()

    def original(step, base=1e-4, warmup=30, steps=100):  # its cosine_lr, set before each step
        if step < warmup:
            return base * (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (steps - warmup))) * base

    assert rates == pytest.approx([original(s) for s in range(100)], rel=1e-12, abs=1e-20)


def test_weight_decay_follows_the_originals_rule_on_its_own_names():
    torch.manual_seed(0)
    model = MODELS.build(TINY)
    wrapper = build_optim_wrapper(model, Config.fromfile(RECIPE).optim_wrapper)
    decay = {id(p): g['weight_decay'] for g in wrapper.optimizer.param_groups for p in g['params']}
    names = dict(zip(model.state_dict(), to_original(model.state_dict())))
    for name, param in model.named_parameters():
        original = names[name]
        excluded = any(w in original for w in ('bn', 'ln', 'bias', 'logit_scale'))
        assert decay[id(param)] == (0.0 if excluded else 0.1), original


def test_the_default_dictionary_is_the_recipes():
    assert osp.samefile(Config.fromfile(RECIPE).dict_file, SYNTHTEXT_DICT)
