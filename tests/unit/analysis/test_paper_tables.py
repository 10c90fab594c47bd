"""Every cell of the paper's tables is one config (plus documented options) away: the config
exists, its options parse as a user types them, and the model they give trains a step."""
import argparse
import functools
import re

import pytest
import torch
from mmengine.config import DictAction
from mmocr.registry import MODELS

from tcm.analysis.paper_tables import MEASURES, TABLES
from tcm.utils import find_config

from builders import tiny_model_cfg, two_boxes

CELLS = sorted({
    table.cell(row, column)
    for table in TABLES.values()
    for row in table.rows
    for column in table.columns
})


def parse_options(options):
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args(['--cfg-options', *options] if options else []).cfg_options


def test_every_row_has_a_paper_number_or_none_per_column():
    for table in TABLES.values():
        assert all(c.measure in MEASURES for c in table.columns), table.name
        for row in table.rows:
            assert len(row.paper) == len(table.columns), (table.name, row.method)


def test_the_slides_numbers_are_where_the_issue_quotes_them():

    def paper(table, method):
        return next(r.paper for r in TABLES[table].rows if r.method == method)

    assert paper('Table 2', 'TCM-DBNet') == (79.6, 76.7) and paper('Table 2',
                                                                   'DBNet') == (71.7, 64.0)
    assert paper('Table 3', 'TCM-DBNet') == (71.9, 65.1) and paper('Table 3',
                                                                   'DBNet') == (63.9, 53.8)
    assert paper('Table 4', 'DB+TCM') == (89.4, 85.9, 88.8, 85.1)
    assert [r.paper[0] for r in TABLES['Table 9'].rows] == [55.2, 52.8, 70.2]
    assert paper('Table 10', 'TCM-DBNet R50') == (50, 156, 88.7)


@pytest.mark.parametrize('config,options', CELLS, ids=lambda v: ' '.join(v) if v else '-')
def test_cell_config_exists_and_options_parse(config, options):
    find_config(config)
    parse_options(options)


@functools.lru_cache(maxsize=None)
def train_step(config, options):
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg(config, parse_options(options)))
    losses = model.loss(torch.randn(2, 3, 128, 128), two_boxes(2, 128))
    total = sum(v for k, v in losses.items() if 'loss' in k)
    total.backward()
    return model, float(total.detach())


@pytest.mark.parametrize('row', TABLES['Table 6'].rows, ids=lambda r: r.method)
def test_table6_rows_build_what_they_name_and_train(row):
    config, options = TABLES['Table 6'].cell(row, TABLES['Table 6'].columns[0])
    model, loss = train_step(config, options)
    assert torch.isfinite(torch.tensor(loss))
    if row.method == 'BSL':
        assert not hasattr(model, 'text_encoder')
        return
    tokens = re.search(r'LP(\d+)', row.method)
    assert model.contexts.shape[1] == (int(tokens[1]) if tokens else 0)
    assert (model.prompt_generator is not None) == ('LG' in row.method or 'TCM' in row.method)
    assert (model.visual_prompt_generator is not None) == ('TCM' in row.method)
    eot = model.texts.argmax(-1)  # the predefined prompt's words sit between SOT and EOT
    assert (eot > 1).all() == ('PP' in row.method or 'TCM' in row.method)
    if model.contexts.shape[1]:
        assert model.contexts.grad.abs().sum() > 0


@pytest.mark.parametrize('row', TABLES['Table 8'].rows, ids=lambda r: r.method)
def test_table8_rows_set_the_encoders_learning_rates(row):
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    table = TABLES['Table 8']
    config, options = table.cell(row, table.columns[0])
    cfg = Config.fromfile(find_config(config))
    cfg.merge_from_dict(parse_options(options))
    model = MODELS.build(tiny_model_cfg(config, parse_options(options)))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    lrs = {id(p): g['lr'] for g in wrapper.optimizer.param_groups for p in g['params']}
    base = cfg.optim_wrapper.optimizer.lr
    image, text = map(float, row.method.split(' / '))
    assert lrs[id(model.backbone.conv1.weight)] == pytest.approx(image * base)
    text_param = model.text_encoder.transformer.resblocks[0].attn.in_proj_weight
    assert text_param.requires_grad == (text > 0)
    if text:
        assert lrs[id(text_param)] == pytest.approx(text * base)


def test_results_tool_refuses_bad_runs_in_one_line(tmp_path, capsys):
    import runpy

    from builders import ROOT, TOY_CONFIG
    main = runpy.run_path(f'{ROOT}/tools/analysis_tools/paper_results.py')['main']
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    cases = [
        (['--run', TOY_CONFIG, str(empty), 'notanoption'], "'notanoption' is not a key=value"),
        (['--run', TOY_CONFIG], 'give a CONFIG and its CHECKPOINT'),
        (['--run', TOY_CONFIG, str(tmp_path / 'missing.pth')], 'checkpoint file not found'),
        (['--tables', '7'], "no paper table '7'"),
    ]
    for argv, message in cases:
        with pytest.raises(SystemExit) as exit_info:
            main(argv + ['--work-dir', str(tmp_path / 'work')])
        code = exit_info.value.code  # sys.exit('error: ...') carries the line; argparse prints it
        err = (capsys.readouterr().err + (code if isinstance(code, str) else '')).strip()
        assert code not in (0, None) and 'Traceback' not in err, (argv, err)
        assert message in err.splitlines()[-1], (argv, err)
