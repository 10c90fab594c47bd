"""Train, resume, test and visualize on generated data with the repository's tools and with mim."""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

from builders import ROOT
from builders import run_ok as run
from builders import small_toy_run

pytestmark = pytest.mark.slow

MIM = osp.join(osp.dirname(sys.executable), 'mim')


@pytest.fixture(scope='module')
def toy(tmp_path_factory):
    """A 128-px toy set and a config that trains on it for 2 epochs of 3 iterations."""
    folder = tmp_path_factory.mktemp('e2e')
    data, config = small_toy_run(
        folder,
        num_train=12,
        num_test=4,
        seed=1,
        batch_size=4,
        max_epochs=2,
        extra='default_hooks = dict(checkpoint=dict(interval=1))')
    return dict(folder=folder, data=data, config=config)


@pytest.fixture(scope='module')
def trained(toy):
    work = toy['folder'] / 'work'
    out = run(sys.executable, 'tools/train.py', toy['config'], '--work-dir', work, '--tensorboard')
    assert 'icdar/hmean' in out
    return work


def test_train_logs_to_tensorboard(trained):
    assert glob.glob(str(trained / '*' / 'vis_data' / 'events.out.tfevents.*'))


def test_train_writes_checkpoints(trained):
    assert osp.isfile(trained / 'epoch_2.pth')
    state = torch.load(trained / 'epoch_2.pth', weights_only=True)  # tcm's safe globals
    assert 'contexts' in state['state_dict'] and state['meta']['epoch'] == 2


def test_resume_continues_the_schedule(toy, trained):
    out = run(sys.executable, 'tools/train.py', toy['config'], '--work-dir', trained, '--resume',
              '--cfg-options', 'train_cfg.max_epochs=3')
    assert 'resumed epoch: 2, iter: 6' in out
    ckpt = torch.load(trained / 'epoch_3.pth', weights_only=True)
    assert ckpt['meta']['epoch'] == 3 and ckpt['meta']['iter'] == 9
    assert ckpt['param_schedulers'][0]['_global_step'] == 3


def hmean(log: str) -> float:
    return float(re.findall(r'icdar/hmean: ([0-9.]+)', log)[-1])


def test_test_tool_reports_hmean(toy, trained):
    out = run(sys.executable, 'tools/test.py', toy['config'], trained / 'epoch_2.pth', '--work-dir',
              toy['folder'] / 'test')
    assert 0 <= hmean(out) <= 1


def test_test_tool_runs_with_every_speed_switch(toy, trained):
    """A smoke run: NHWC, compiled, bfloat16 (CPU) through MMEngine's fp16 switch. That the
    switches keep the predictions is tested in test_acceleration.py."""
    out = run(sys.executable, 'tools/test.py', toy['config'], trained / 'epoch_2.pth', '--work-dir',
              toy['folder'] / 'test-fast', '--cfg-options', 'channels_last=True', 'compile=True',
              'test_cfg.fp16=True')
    assert 'network compiled for testing' in out and 0 <= hmean(out) <= 1


def test_mim_train_and_test(toy):
    work = toy['folder'] / 'mim'
    run(MIM, 'train', 'tcm', toy['config'], '--work-dir', work, '--cfg-options',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1')
    out = run(MIM, 'test', 'tcm', toy['config'], '--checkpoint', work / 'epoch_1.pth', '--work-dir',
              work)
    assert 'icdar/hmean' in out


def test_mim_finds_project_configs_and_their_packages(tmp_path):
    """By name, in the installed package; the data they name is missing here, so each stops
    in one line at the dataset of its project, after the config and its imports were read."""
    for name, message in (('clip4str_vit-b16_16e_real.py', 'data/clip4str/train/real'),
                          ('oclip_rn50_100e_synthtext.py', 'annotation file not found: '
                           'data/oclip/synthtext/train_words.tsv')):
        out = subprocess.run([MIM, 'train', 'tcm', name, '--work-dir',
                              str(tmp_path / name)],
                             cwd=tmp_path,
                             env={
                                 k: v
                                 for k, v in os.environ.items() if k != 'PYTHONPATH'
                             },
                             capture_output=True,
                             text=True,
                             timeout=600)
        assert out.returncode != 0 and 'find the config file in codebase tcm' in out.stdout
        errors = [line for line in out.stderr.splitlines() if line.startswith('error: ')]
        assert len(errors) == 1 and message in errors[0], out.stderr[-1500:]


def test_infer_tool_on_a_folder_with_bad_files(toy, trained):
    folder = toy['folder'] / 'photos'
    folder.mkdir()
    for image in sorted(glob.glob(osp.join(toy['data'], 'textdet_imgs/test/*.jpg')))[:3]:
        (folder / osp.basename(image)).write_bytes(open(image, 'rb').read())
    (folder / 'notes.txt').write_text('not an image')
    (folder / 'cut.jpg').write_bytes(b'\xff\xd8\xff' + b'0' * 50)
    out_dir = toy['folder'] / 'infer'
    out = run(sys.executable, 'tools/infer.py', folder, '--config', toy['config'], '--weights',
              trained / 'epoch_2.pth', '--out-dir', out_dir, '--batch-size', '2', '--explain')
    assert 'skipped' in out and 'notes.txt' in out and 'cut.jpg' in out
    assert '3 images' in out and '2 skipped' in out
    import json

    import cv2
    names = sorted(p[:-5] for p in os.listdir(out_dir / 'preds'))
    assert len(names) == 3
    result = json.load(open(out_dir / 'preds' / f'{names[0]}.json'))
    assert set(result) == {'img_path', 'polygons', 'scores'}
    assert len(result['polygons']) == len(result['scores'])
    assert cv2.imread(str(out_dir / 'vis' / f'{names[0]}.jpg')).shape == (128, 128, 3)
    assert cv2.imread(str(out_dir / 'explain' / f'{names[0]}_score_map.jpg')).shape == (128, 128, 3)
    figure = cv2.imread(str(out_dir / 'explain' / f'{names[0]}_visual_prompt.jpg'))
    assert figure.shape == (128, 3 * 128, 3)  # image | embedding | prompted embedding
    in_process = toy['folder'] / 'infer_in_process'  # images read without worker processes
    run(sys.executable, 'tools/infer.py', folder, '--config', toy['config'], '--weights',
        trained / 'epoch_2.pth', '--out-dir', in_process, '--batch-size', '3', '--num-workers', '0')
    assert sorted(os.listdir(in_process / 'preds')) == sorted(os.listdir(out_dir / 'preds'))
    for name in names:
        assert json.load(open(in_process / 'preds' / f'{name}.json')) == \
            json.load(open(out_dir / 'preds' / f'{name}.json'))


def test_infer_tool_end_to_end_ocr(toy, trained):
    """A recognizer (MMOCR's CRNN, random weights) reads every detected polygon."""
    import json

    import mmocr
    from mmengine.config import Config
    from mmocr.registry import MODELS
    cfg = Config.fromfile(
        osp.join(osp.dirname(mmocr.__file__), '.mim/configs/textrecog/crnn/crnn_mini-vgg_5e_mj.py'))
    rec_cfg, rec_ckpt = toy['folder'] / 'crnn.py', toy['folder'] / 'crnn.pth'
    cfg.dump(str(rec_cfg))
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), rec_ckpt)
    image = sorted(glob.glob(osp.join(toy['data'], 'textdet_imgs/test/*.jpg')))[0]
    out_dir = toy['folder'] / 'ocr'
    run(sys.executable, 'tools/infer.py', image, '--config', toy['config'], '--weights',
        trained / 'epoch_2.pth', '--out-dir', out_dir, '--rec', rec_cfg, '--rec-weights', rec_ckpt,
        '--cfg-options', 'channels_last=True')
    result = json.load(open(out_dir / 'preds' / (osp.basename(image)[:-4] + '.json')))
    assert len(result['texts']) == len(result['polygons']) == len(result['text_scores'])
    assert all(isinstance(t, str) for t in result['texts'])


def test_mmocr_inferencers_run_tcm_configs(toy, trained):
    from mmocr.apis import MMOCRInferencer, TextDetInferencer
    image = sorted(glob.glob(osp.join(toy['data'], 'textdet_imgs/test/*.jpg')))[0]
    det = TextDetInferencer(model=toy['config'], weights=str(trained / 'epoch_2.pth'))
    prediction = det(image, progress_bar=False)['predictions'][0]
    assert len(prediction['polygons']) == len(prediction['scores'])
    ocr = MMOCRInferencer(det=toy['config'], det_weights=str(trained / 'epoch_2.pth'))
    out_dir = toy['folder'] / 'mmocr'
    ocr(image, out_dir=str(out_dir), save_vis=True, save_pred=True)
    assert os.listdir(out_dir / 'vis') and os.listdir(out_dir / 'preds')


def test_python_api_explains_a_prediction(toy, trained):
    import cv2

    from tcm.apis import detect, init_detector
    from tcm.visualization import score_map_overlay, visual_prompt_figure
    model = init_detector(toy['config'], str(trained / 'epoch_2.pth'))
    image = cv2.imread(sorted(glob.glob(osp.join(toy['data'], 'textdet_imgs/test/*.jpg')))[0])
    sample = detect(model, [image], with_embeddings=True)[0]
    assert sample.image_embedding.shape == sample.prompted_embedding.shape == (64, 8, 8)
    assert score_map_overlay(image, sample).shape == image.shape
    assert visual_prompt_figure(image, sample, sample.image_embedding,
                                sample.prompted_embedding).shape == (128, 384, 3)


@pytest.mark.parametrize('tool,args,message', [
    ('tools/test.py', ['{config}', '{tmp}/x.pth'], 'checkpoint file not found'),
    ('tools/infer.py', [
        '{tmp}', '--config', '{tmp}/no.py', '--weights', '{tmp}/x.pth', '--out-dir', '{tmp}/o'
    ], 'config file not found: {tmp}/no.py'),
    ('tools/infer.py', [
        '{tmp}', '--config', '{config}', '--weights', '{tmp}/x.pth', '--out-dir', '{tmp}/o'
    ], 'checkpoint file not found: {tmp}/x.pth'),
    ('tools/infer.py', [
        '{tmp}/nope.jpg', '--config', '{config}', '--weights', '{tmp}/x.pth', '--out-dir', '{tmp}/o'
    ], 'input not found: {tmp}/nope.jpg'),
    pytest.param(
        'tools/train.py', ['{config}', '--amp', '--work-dir', '{tmp}/w'],
        '--amp trains with MMEngine\'s AmpOptimWrapper, which needs a GPU',
        marks=pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU trains with --amp')),
])
def test_tools_refuse_bad_input(toy, tmp_path, tool, args, message):
    fill = dict(config=toy['config'], tmp=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, tool] + [a.format(**fill) for a in args],
        cwd=ROOT,
        capture_output=True,
        text=True)
    assert proc.returncode != 0 and message.format(**fill) in proc.stderr
    assert 'Traceback' not in proc.stderr and not os.path.exists(tmp_path / 'o' / 'vis')


def test_converted_legacy_checkpoint_scores_the_same(toy, trained):
    """A checkpoint saved in the original layout, converted, evaluates exactly like the original."""
    state = torch.load(trained / 'epoch_2.pth', weights_only=True)['state_dict']
    legacy = {
        ('bbox_head.' + k[len('det_head.'):] if k.startswith('det_head.') else k): v
        for k, v in state.items()
    }
    torch.save(dict(state_dict=legacy, meta=dict(exp_name='toy')), toy['folder'] / 'legacy.pth')
    converted = toy['folder'] / 'converted.pth'
    said = run(sys.executable, 'tools/convert_legacy_ckpt.py', toy['folder'] / 'legacy.pth',
               converted, '--config', toy['config'], '--cfg-options',
               'model.backbone.input_resolution=128')
    assert f'mapped {len(state)} tensors' in said and str(converted) in said

    def metrics(checkpoint):
        out = run(sys.executable, 'tools/test.py', toy['config'], checkpoint, '--work-dir',
                  toy['folder'] / 'cmp')
        return [
            line.split('mmengine - INFO - ')[-1] for line in out.splitlines()
            if 'prediction score threshold' in line
        ]

    original = metrics(trained / 'epoch_2.pth')
    assert len(original) == 7 and metrics(converted) == original


def test_training_on_missing_data_is_one_line(tmp_path):
    config = tmp_path / 'missing.py'
    config.write_text(f"_base_ = ['{ROOT}/configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py']\n"
                      f"train_dataloader = dict(dataset=dict(data_root='{tmp_path}/nowhere'))\n")
    proc = subprocess.run(
        [sys.executable, 'tools/train.py',
         str(config), '--work-dir',
         str(tmp_path / 'work')],
        cwd=ROOT,
        capture_output=True,
        text=True)
    assert proc.returncode != 0
    assert 'Traceback' not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith('error:')
    assert 'nowhere' in proc.stderr.strip().splitlines()[-1]


def test_paper_results_tool_fills_the_cells_a_run_names(toy, trained):
    """A toy model under a paper config's file name fills that config's cells (Table 1's IC15
    and FPS, Table 6's TCM with 4 prompts, the toy's own count) with the hmean the test tool
    reports; a run that no cell names is listed apart."""
    folder = toy['folder']
    named = folder / 'tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py'
    named.write_text(f"_base_ = ['{toy['config']}']\n")
    checkpoint = trained / 'epoch_2.pth'
    out = run(sys.executable, 'tools/analysis_tools/paper_results.py', '--run', named, checkpoint,
              '--run', toy['config'], checkpoint, 'model.det_head.postprocessor.mask_thr=0.5',
              '--tables', '1', '6', '--shape', '128', '128', '--timing-runs', '2', '--out',
              folder / 'results.md', '--work-dir', folder)
    assert 'wrote' in out
    text = (folder / 'results.md').read_text()
    measured = 100 * hmean(
        run(sys.executable, 'tools/test.py', named, checkpoint, '--work-dir', folder / 'test2'))
    rows = {line.split(' | ')[0].strip('| '): line.split(' | ') for line in text.splitlines()}
    table1 = text.split('**Table 6.**')[0]
    tcm_row = next(line for line in table1.splitlines() if line.startswith('| TCM-DBNet |'))
    cells = tcm_row.strip('| ').split(' | ')
    assert cells[1:3] == ['89.2', f'{measured:.1f}'] and cells[3:7] == ['88.8', '–', '84.9', '–']
    assert cells[7] == '10' and float(cells[8]) > 0  # FPS, timed at 128 x 128
    assert rows['TCM (LP4)'][1:3] == ['89.2', f'{measured:.1f}']
    assert rows['TCM (LP32)'][2] == '–' and rows['BSL'][2] == '–'
    other = next(line for line in text.splitlines() if line.startswith('| small_toy.py'))
    assert 'mask_thr=0.5' in other


def test_onnx_export_and_the_onnxruntime_backend_give_pytorchs_polygons(toy, trained):
    folder = toy['folder']
    checkpoint, onnx_file = trained / 'epoch_2.pth', folder / 'toy.onnx'
    out = run(sys.executable, 'tools/deployment/export_onnx.py', toy['config'], checkpoint,
              onnx_file, '--shape', '128', '128')
    assert re.search(r'wrote .*toy.onnx: ONNX Runtime within \S+ of PyTorch', out)
    refused = subprocess.run(
        [sys.executable, 'tools/deployment/export_onnx.py', toy['config'], checkpoint, onnx_file],
        cwd=ROOT,
        capture_output=True,
        text=True)
    assert refused.returncode == 1 and 'exists; pass --force' in refused.stderr
    images = osp.join(toy['data'], 'textdet_imgs', 'test')
    results = {}
    for backend, weights in (('pytorch', checkpoint), ('onnxruntime', onnx_file)):
        out_dir = folder / f'infer-{backend}'
        run(sys.executable, 'tools/infer.py', images, '--config', toy['config'], '--weights',
            weights, '--out-dir', out_dir, '--backend', backend)
        results[backend] = {
            name: json.load(open(out_dir / 'preds' / name))
            for name in os.listdir(out_dir / 'preds')
        }
    assert results['pytorch'].keys() == results['onnxruntime'].keys() and results['pytorch']
    for name, expected in results['pytorch'].items():
        got = results['onnxruntime'][name]
        assert len(got['polygons']) == len(expected['polygons'])
        for p, q in zip(expected['polygons'], got['polygons']):
            assert max(abs(a - b) for a, b in zip(p, q)) < 1e-2
