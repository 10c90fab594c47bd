"""CLIP4STR's training setup: normalisation, the four parameter groups, the one-cycle schedule
and the configs that put them together."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from clip4str.converter import released_layout
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.optim import build_optim_wrapper
from mmocr.registry import MODELS, PARAM_SCHEDULERS
from mmocr.utils import register_all_modules
from test_clip4str import samples, tiny
from torch.optim.lr_scheduler import OneCycleLR

register_all_modules(init_default_scope=True)  # also when this file runs alone
CONFIGS = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs')
RECIPES = sorted(glob.glob(osp.join(CONFIGS, 'clip4str_*.py')))
CLIP_MEAN = [255 * m for m in (0.48145466, 0.4578275, 0.40821073)]
CLIP_STD = [255 * s for s in (0.26862954, 0.26130258, 0.27577711)]


def preprocessor(**kwargs):
    return MODELS.build(
        dict(
            type='CLIP4STRDataPreprocessor',
            mean=CLIP_MEAN,
            std=CLIP_STD,
            bgr_to_rgb=True,
            **kwargs))


def test_training_uses_clips_statistics_and_inference_the_test_pair():
    prep = preprocessor(test_mean=[127.5] * 3, test_std=[127.5] * 3)
    img = torch.randint(0, 256, (3, 4, 6), dtype=torch.uint8)
    rgb = img.flip(0).float()
    data = lambda: dict(inputs=[img.clone()], data_samples=samples('a'))  # noqa: E731
    train = prep(data(), training=True)['inputs'][0]
    test = prep(data(), training=False)['inputs'][0]
    mean, std = torch.tensor(CLIP_MEAN).view(3, 1, 1), torch.tensor(CLIP_STD).view(3, 1, 1)
    torch.testing.assert_close(train, (rgb - mean) / std)
    torch.testing.assert_close(test, (rgb - 127.5) / 127.5)
    torch.testing.assert_close(prep(data(), training=True)['inputs'][0], train)  # restored
    assert 'test_mean' not in prep.state_dict()  # checkpoints stay the recognizer's weights


def test_without_a_test_pair_it_is_mmocrs_preprocessor_and_half_a_pair_is_refused():
    img = torch.randint(0, 256, (3, 4, 6), dtype=torch.uint8)
    ours = preprocessor()(dict(inputs=[img], data_samples=samples('a')))['inputs'][0]
    theirs = MODELS.build(
        dict(type='TextRecogDataPreprocessor', mean=CLIP_MEAN, std=CLIP_STD,
             bgr_to_rgb=True))(dict(inputs=[img], data_samples=samples('a')))['inputs'][0]
    torch.testing.assert_close(ours, theirs)
    with pytest.raises(ValueError, match='give both test_mean and test_std'):
        preprocessor(test_mean=[127.5] * 3)


def original_groups(model):
    """The original's ``configure_optimizers`` rule, on the original's parameter names."""
    exclude = lambda n, p: p.ndim < 2 or any(  # noqa: E731
        w in n for w in ('bn', 'ln', 'bias', 'logit_scale', 'pos_queries', 'text_embed'))
    names = dict(zip(model.state_dict(), released_layout(model)))  # ours -> theirs, in order
    groups = [[], [], [], []]
    for name, param in model.named_parameters():
        if param.requires_grad:
            theirs = names[name]
            decoder = not theirs.startswith('clip_model.')
            groups[2 * decoder + (not exclude(theirs, param))].append(param)
    return groups


def test_the_four_groups_are_the_originals():
    model = tiny()
    wrapper = build_optim_wrapper(
        model,
        dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2),
            constructor='CLIP4STROptimWrapperConstructor',
            paramwise_cfg=dict(decoder_lr_mult=19.0)))
    groups = wrapper.optimizer.param_groups
    expected = original_groups(model)
    assert [[id(p) for p in g['params']] for g in groups] == \
        [[id(p) for p in g] for g in expected]
    assert [g['lr'] for g in groups] == pytest.approx([1e-4, 1e-4, 1.9e-3, 1.9e-3])
    assert [g['weight_decay'] for g in groups] == [0, 0.2, 0, 0.2]
    assert all(expected), 'each group holds parameters'
    frozen = {id(p) for p in model.parameters() if not p.requires_grad}
    assert frozen and not frozen & {id(p) for g in groups for p in g['params']}


def test_one_cycle_peaks_at_each_groups_rate_as_torchs():

    def optimizer():
        params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(4)]
        return torch.optim.AdamW([dict(params=[p], lr=lr) for p, lr in zip(params, (1, 1, 19, 19))])

    ours, theirs = optimizer(), optimizer()
    schedule = PARAM_SCHEDULERS.build(
        dict(type='GroupOneCycleLR', optimizer=ours, pct_start=0.075, by_epoch=False, end=200))
    reference = OneCycleLR(
        theirs, [1, 1, 19, 19], total_steps=200, pct_start=0.075, cycle_momentum=False)
    for _ in range(199):
        assert [g['lr'] for g in ours.param_groups] == \
            pytest.approx([g['lr'] for g in theirs.param_groups], rel=1e-9)
        ours.step(), theirs.step(), schedule.step(), reference.step()


def test_one_cycle_state_loads_with_weights_only(tmp_path):
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    schedule = PARAM_SCHEDULERS.build(
        dict(type='GroupOneCycleLR', optimizer=optimizer, by_epoch=False, end=10))
    optimizer.step(), schedule.step()
    torch.save(schedule.state_dict(), tmp_path / 'state.pth')
    resumed = PARAM_SCHEDULERS.build(
        dict(type='GroupOneCycleLR', optimizer=optimizer, by_epoch=False, end=10))
    resumed.load_state_dict(torch.load(tmp_path / 'state.pth', weights_only=True))
    assert resumed.last_step == 1 and resumed.anneal_func == resumed._annealing_cos


def test_every_config_loads_and_its_pipelines_and_optimizer_build(tmp_path):
    assert len(RECIPES) == 7
    img = tmp_path / 'word.png'
    cv2.imwrite(str(img), np.full((20, 70, 3), 200, np.uint8))
    for path in RECIPES:
        cfg = Config.fromfile(path)
        assert cfg.train_cfg.max_epochs == cfg.param_scheduler[0].end, path
        assert cfg.model.data_preprocessor.type == 'CLIP4STRDataPreprocessor'
        for name in ('train_pipeline', 'test_pipeline'):
            out = Compose(cfg[name])(dict(img_path=str(img), instances=[dict(text='word')]))
            assert tuple(out['inputs'].shape) == (3, 224, 224), (path, name)
        wrapper = build_optim_wrapper(tiny(), cfg.optim_wrapper)
        lr = cfg.optim_wrapper.optimizer.lr
        assert [g['lr'] for g in wrapper.optimizer.param_groups] == \
            pytest.approx([lr, lr, 19 * lr, 19 * lr])
    b16 = Config.fromfile(osp.join(CONFIGS, 'clip4str_vit-b16_16e_real.py'))
    assert b16.optim_wrapper.optimizer.lr == pytest.approx(1.68e-4)


def test_test_pipeline_resizes_as_torchvision_on_pil_as_the_original(tmp_path):
    from PIL import Image
    from torchvision import transforms
    word = np.random.default_rng(0).integers(0, 256, (31, 97, 3), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / 'word.png'), word)
    cfg = Config.fromfile(RECIPES[0])
    ours = Compose(cfg.test_pipeline)(dict(
        img_path=str(tmp_path / 'word.png'), instances=[dict(text='w')]))['inputs']
    resize = transforms.Resize((224, 224), transforms.InterpolationMode.BICUBIC)
    theirs = np.asarray(resize(Image.fromarray(word[..., ::-1])))[..., ::-1]
    np.testing.assert_array_equal(ours.permute(1, 2, 0).numpy(), theirs)


@pytest.mark.parametrize('variant, width', [('b16', 768), ('l14', 1024), ('h14', 1280)])
def test_recipes_build_the_variant_they_name(variant, width):
    path, = [p for p in RECIPES if f'vit-{variant}_' in p and ('h14' in p or '_real' in p)]
    image_encoder = Config.fromfile(path).model.image_encoder
    built = MODELS.build(dict(image_encoder, layers=1))
    assert built.conv1.out_channels == width


@pytest.mark.parametrize('shape', [(1, 1, 3), (16, 4000, 3), (300, 8, 3), (0, 12, 3), (9, 0, 3)])
def test_empty_one_pixel_and_extremely_long_crops_are_read(shape):
    cfg = Config.fromfile(RECIPES[0])
    packed = Compose(cfg.lmdb_test_pipeline)(
        dict(img=np.full(shape, 90, np.uint8), instances=[dict(text='a')]))
    model = tiny().eval()
    batch = MODELS.build(cfg.model.data_preprocessor)(
        dict(inputs=[packed['inputs']], data_samples=[packed['data_samples']]), training=False)
    with torch.no_grad():
        result, = model.predict(batch['inputs'], batch['data_samples'])
    assert isinstance(result.pred_text.item, str) and 0 <= result.pred_text.score <= 1
    if 0 in shape:  # nothing to read
        assert result.pred_text.item == '' and result.pred_text.score == 0


def test_training_skips_an_empty_crop():
    cfg = Config.fromfile(RECIPES[0])
    pipeline = Compose(cfg.lmdb_train_pipeline)
    with pytest.warns(UserWarning, match=r'skipped .*no pixels \(shape \(0, 7, 3\)\)'):
        assert pipeline(dict(img=np.zeros((0, 7, 3), np.uint8), instances=[dict(text='a')])) is None
    packed = pipeline(dict(img=np.zeros((5, 7, 3), np.uint8), instances=[dict(text='a')]))
    assert packed['data_samples'].metainfo['empty_crop'] is False
