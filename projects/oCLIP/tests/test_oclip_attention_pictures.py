"""tools/visualize_oclip_attention.py draws the image and character attention of a model."""
import contextlib
import io
import os.path as osp
import runpy

import cv2
import numpy as np
import pytest
import torch
from mmocr.registry import MODELS
from test_oclip_converter import BASE
from test_oclip_model import TINY

from builders import ROOT

TOOL = runpy.run_path(osp.join(ROOT, 'tools', 'visualize_oclip_attention.py'))


def draw(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            TOOL['main']([str(a) for a in args])
        except SystemExit as exc:
            return 1, out.getvalue() + str(exc.code)
    return 0, out.getvalue()


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp('attn')
    torch.manual_seed(0)
    model = MODELS.build(TINY)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), folder / 'oclip.pth')
    (folder / 'tiny.py').write_text(f"_base_ = ['{BASE}']\nmodel = {TINY!r}\n")
    (folder / 'first.py').write_text(f"_base_ = ['{folder / 'tiny.py'}']\n"
                                     "model = dict(first_stage=True)\n")
    image = np.full((40, 100, 3), 200, np.uint8)
    cv2.putText(image, 'TEXT', (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 1, (20, 20, 20), 2)
    cv2.imwrite(str(folder / 'sign.png'), image)
    return folder


def test_pictures_of_the_image_and_each_words_masked_character(tiny):
    out_dir = tiny / 'out'
    code, text = draw(tiny / 'sign.png', tiny / 'oclip.pth', '--words', 'T XT', 'SIGN ', '--config',
                      tiny / 'tiny.py', '--out-dir', out_dir)
    assert code == 0, text
    names = ['sign_image_attention.jpg', 'sign_char_attention_0.jpg', 'sign_char_attention_1.jpg']
    for name in names:
        picture = cv2.imread(str(out_dir / name))
        assert picture.shape == (40, 100, 3)  # the image's own size: 100 px fit the 64 px model
    assert "word 0 'T XT': masked character read as" in text and 'wrote 3 pictures' in text
    code, text = draw(tiny / 'sign.png', tiny / 'oclip.pth', '--words', 'T XT', '--config',
                      tiny / 'tiny.py', '--out-dir', out_dir)
    assert code == 1 and 'sign_image_attention.jpg exists; pass --force' in text


def test_bad_input_is_one_line(tiny):
    cases = [
        ((tiny / 'nope.png', tiny / 'oclip.pth', '--words', 'A'), 'nope.png: no such image'),
        ((tiny / 'sign.png', tiny / 'oclip.pth', '--words', 'naïve', '--config', tiny / 'tiny.py'),
         "characters 'ï' are not in the dictionary"),
        ((tiny / 'sign.png', tiny / 'oclip.pth', '--words', 'A', '--config', tiny / 'first.py'),
         'a first-stage oCLIP has no decoder'),
    ]
    for args, message in cases:
        code, text = draw(*args, '--out-dir', tiny / 'bad')
        assert code == 1 and message in text.strip().splitlines()[-1], text
