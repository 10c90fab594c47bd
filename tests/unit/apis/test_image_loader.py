"""Images read and prepared in worker processes come in order, as the test pipeline makes
them in this process; unreadable files come as records without an image."""
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from tcm.apis import image_loader
from tcm.apis.inference import test_pipeline as build_test_pipeline

from builders import ROOT

CFG = Config(
    dict(
        test_dataloader=dict(
            dataset=dict(pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='Resize', scale=(64, 48), keep_ratio=True),
                dict(type='LoadOCRAnnotations', with_polygon=True),
                dict(
                    type='PackTextDetInputs',
                    meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor')),
            ]))))


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for i, (h, w) in enumerate([(40, 90), (96, 50), (30, 30)]):
        paths.append(str(tmp_path / f'{i}.png'))
        cv2.imwrite(paths[-1], rng.integers(0, 255, (h, w, 3), dtype=np.uint8))
    (tmp_path / 'notes.png').write_text('not an image')
    return paths[:2] + [str(tmp_path / 'notes.png')] + paths[2:]


@pytest.mark.parametrize('num_workers', [0, 2])
def test_records_come_in_order_as_the_test_pipeline_makes_them(folder, num_workers):
    batches = list(image_loader(folder, CFG, batch_size=3, num_workers=num_workers))
    assert [len(batch) for batch in batches] == [3, 1]
    records = [record for batch in batches for record in batch]
    assert [record['path'] for record in records] == folder
    assert records[2]['image'] is None and records[2]['item'] is None
    pipeline = build_test_pipeline(CFG, from_array=True)
    for record in records[:2] + records[3:]:
        image = cv2.imread(record['path'])
        assert np.array_equal(record['image'], image)
        expected = pipeline(dict(img=image))
        assert torch.equal(record['item']['inputs'], expected['inputs'])
        assert record['item']['data_samples'].img_shape == expected['data_samples'].img_shape
    assert tuple(records[0]['item']['inputs'].shape) == (3, 28, 64)  # 40x90 into 64x48


def test_workers_forked_after_opencv_threads_ran_do_not_hang(folder):
    """Setting OpenCV's threads in a worker forked once OpenCV's thread pool has run
    deadlocks (seen with a ``worker_init_fn`` calling ``cv2.setNumThreads(1)``)."""
    script = f'''
import cv2, numpy as np
from mmengine.config import Config
from tcm.apis import image_loader
cv2.resize(np.zeros((2000, 2000, 3), np.uint8), (3000, 3000))  # the pool runs
batches = image_loader({folder!r}, Config({CFG.to_dict()!r}), batch_size=2, num_workers=2)
print([len(batch) for batch in batches])
'''
    done = subprocess.run([sys.executable, '-c', script],
                          cwd=ROOT,
                          capture_output=True,
                          text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split('\n')[-2] == '[2, 2]'
