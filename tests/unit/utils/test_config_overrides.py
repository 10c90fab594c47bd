"""--cfg-options that cannot do what they say are refused in one line, before anything runs."""
import pytest
from mmengine.config import Config

from tcm.utils import InputError
from tcm.utils.config_overrides import check_overrides

CONFIG = '''
max_epochs = 12
dataset_type = 'OCRDataset'
model = dict(type='DBNet', backbone=dict(type='ResNet', depth=18), neck=None)
train_dataloader = dict(batch_size=8, dataset=dict(type=dataset_type, pipeline=[
    dict(type='LoadImageFromFile'), dict(type='Resize', scale=(640, 640))]))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
load_from = None
'''


@pytest.fixture(scope='module')
def cfg(tmp_path_factory):
    path = tmp_path_factory.mktemp('cfg') / 'c.py'
    path.write_text(CONFIG)
    return Config.fromfile(str(path))


@pytest.mark.parametrize(
    'options',
    [
        {
            'train_dataloader.batch_size': 2
        },
        {
            'optim_wrapper.optimizer.lr': 0.1
        },  # a Runner argument the config leaves out
        {
            'channels_last': True,
            'compile': True,
            'partial_load': True
        },  # tcm's switches
        {
            'model.backbone.depth': 50,
            'model.backbone.frozen_stages': 1
        },  # a new argument
        {
            'train_dataloader.dataset.pipeline.1.scale': (320, 320)
        },
        {
            'model.neck.type': 'FPNC'
        },  # entries under an empty value
        {
            'load_from': 'x.pth'
        },
        {
            'optim_wrapper.optimizer.lr': 1
        },  # numbers mix
        {
            'train_dataloader.num_workers': 0
        },
    ])
def test_overrides_that_take_effect_pass(cfg, options):
    check_overrides(cfg, options, 'c.py')


@pytest.mark.parametrize('options,message', [
    ({
        'max_epochs': 1
    }, 'max_epochs: max_epochs is a variable of c.py, used only while the '
     'file is read, so overriding it changes nothing; set train_cfg.max_epochs instead'),
    ({
        'dataset_type': 'X'
    }, 'dataset_type is a variable of c.py'),
    ({
        'max_epoch': 1
    }, 'c.py has no max_epoch and nothing reads it (did you mean max_epochs?)'),
    ({
        'train_dataloder.batch_size': 2
    }, 'did you mean train_dataloader?'),
    ({
        'nonsense': 2
    }, 'c.py has no nonsense and nothing reads it'),
    ({
        'train_dataloader.batch_sise': 2
    }, 'c.py has no train_dataloader.batch_sise (did you '
     'mean train_dataloader.batch_size?)'),
    ({
        'train_dataloader.dataset.type': 4
    }, "expected a string like the config's 'OCRDataset', got 4"),
    ({
        'train_dataloader.batch_size': 'four'
    }, "at least 1, got 'four'"),
    ({
        'model.backbone.type': 3
    }, "expected a string like the config's 'ResNet', got 3"),
    ({
        'train_dataloader.dataset.pipeline.5.scale': 1
    }, 'train_dataloader.dataset.pipeline is '
     'a list of 2; 5 is not one of its indices'),
    ({
        'train_cfg.max_epochs.x': 1
    }, 'train_cfg.max_epochs is 12, which has no entries'),
    ({
        'train_dataloader.batch_size': 0
    }, 'must be a whole number of at least 1, got 0'),
    ({
        'train_dataloader.batch_size': -2
    }, 'must be a whole number of at least 1, got -2'),
    ({
        'train_cfg.max_epochs': 1.5
    }, 'must be a whole number of at least 1, got 1.5'),
    ({
        'train_dataloader.num_workers': -1
    }, 'must be a whole number of at least 0, got -1'),
])
def test_overrides_that_would_do_nothing_or_fail_later_are_one_line(cfg, options, message):
    with pytest.raises(InputError) as err:
        check_overrides(cfg, options, 'c.py')
    assert message in str(err.value) and '\n' not in str(err.value)
