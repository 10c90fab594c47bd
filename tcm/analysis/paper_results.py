"""The paper's tables with tcm's numbers beside the paper's: evaluate checkpoints, time and
count their networks, and write the tables in the paper's layout as markdown.

A run (config, checkpoint, ``--cfg-options``) fills every cell whose config has the run's file
name and whose options have the same effect on that file, so a run of the TCM-DBNet ICDAR2015
config fills Table 1's IC15 and FPS cells and Table 6's "TCM (LP4)" cell at once (its 4 prompts
are the config's own).
"""
import os.path as osp
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from .paper_tables import TABLES, PaperTable

Cell = Tuple[str, int, int]  # table name, row index, column index


@dataclass(frozen=True)
class Run:
    config: str
    checkpoint: str
    options: Tuple[str, ...] = ()


def parse_options(options: Sequence[str]) -> dict:
    """``key=value`` strings as MMEngine's ``--cfg-options`` reads them."""
    import argparse

    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(prog='--cfg-options')
    parser.add_argument('options', nargs='*', action=DictAction, default={})
    return parser.parse_args(list(options)).options if options else {}


def _effect(config: str, options: Sequence[str]) -> dict:
    from ..utils.configs import read_config
    cfg = read_config(config)
    cfg.merge_from_dict(parse_options(options))
    return cfg.to_dict()


def cells_of(run: Run, tables: Sequence[PaperTable]) -> List[Cell]:
    """The cells that ``run`` measures."""
    name, effect = osp.basename(run.config), None
    cells = []
    for table in tables:
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                config, options = table.cell(row, column)
                if config != name:
                    continue
                effect = effect or _effect(run.config, run.options)
                if set(options) == set(run.options) or _effect(run.config, options) == effect:
                    cells.append((table.name, r, c))
    return cells


def evaluate(run: Run, work_dir: str, name: str) -> Dict[str, float]:
    """The test-set metrics of ``run``'s checkpoint (MMOCR's evaluator of its config), logged
    under ``work_dir/name``. ``name`` must be new in this process: MMEngine keeps one logger and
    visualizer per name."""
    from ..utils.cli import build_runner, load_config
    cfg = load_config(run.config, parse_options(run.options), osp.join(work_dir, name))
    cfg.load_from = run.checkpoint
    cfg.experiment_name = name
    if cfg.get('visualizer'):
        cfg.visualizer.name = name
    return build_runner(cfg).test()


def hmean_of(metrics: Dict[str, float]) -> float:
    from ..utils.errors import InputError
    keys = [k for k in metrics if k.endswith('hmean')]
    if not keys:
        raise InputError(f'the evaluation gave no hmean (metrics: {", ".join(metrics)})')
    return float(metrics[keys[0]])


def measure(runs: Sequence[Run],
            tables: Sequence[PaperTable],
            shape: Tuple[int, int],
            device: str = 'cpu',
            timing_runs: int = 10,
            work_dir: str = 'work_dirs/paper_results') -> Tuple[Dict[Cell, float], List[Dict]]:
    """Measured values of the cells the runs fill (hmean in %, FPS at batch 1 and ``shape``,
    trainable parameters in millions, GFLOPs of one ``shape`` image), and the runs no cell
    names, with their hmean (and FPS). Evaluations log under ``work_dir/<config>_<i>_<time>``."""
    from .benchmark import benchmark
    from .complexity import complexity
    by_name = {t.name: t for t in tables}
    values: Dict[Cell, float] = {}
    others = []
    stamp = time.strftime('%Y%m%d_%H%M%S')
    for i, run in enumerate(runs):
        cells = cells_of(run, tables)
        measures = {by_name[t].columns[c].measure for t, r, c in cells} | {'hmean'}
        name = f'{osp.splitext(osp.basename(run.config))[0]}_{i}_{stamp}'
        got = dict(hmean=100 * hmean_of(evaluate(run, work_dir, name)))
        options = parse_options(run.options)
        if 'fps' in measures or not cells:
            seconds = benchmark([run.config],
                                shape,
                                runs=timing_runs,
                                device=device,
                                cfg_options=options)[0]['postprocess']
            got['fps'] = 1 / seconds
        if measures & {'params', 'flops'}:
            counted = complexity(run.config, shape, options)
            got.update(params=counted['trainable'] / 1e6, flops=counted['flops'] / 1e9)
        for t, r, c in cells:
            values[(t, r, c)] = got[by_name[t].columns[c].measure]
        if not cells:
            others.append(dict(run=run, **got))
    return values, others


def _number(value: Optional[float], as_written: bool = False) -> str:
    """A measured value to one decimal; the paper's as the paper writes it."""
    if value is None:
        return '–'
    return f'{value:g}' if as_written else f'{value:.1f}'


def render(tables: Sequence[PaperTable], values: Dict[Cell, float],
           others: Sequence[Dict] = ()) -> str:
    """Markdown: each table in the paper's layout, a "paper" and a "tcm" column per column of
    the paper; the runs no table names below."""
    parts = []
    for table in tables:
        head = ['Method'] + [f'{c.label} {who}' for c in table.columns for who in ('paper', 'tcm')]
        lines = [
            f'**{table.name}.** {table.caption}', '', '| ' + ' | '.join(head) + ' |',
            '|' + '---|' * len(head)
        ]
        for r, row in enumerate(table.rows):
            cells = [row.method]
            for c, paper in enumerate(row.paper):
                cells += [_number(paper, True), _number(values.get((table.name, r, c)))]
            lines.append('| ' + ' | '.join(cells) + ' |')
        parts.append('\n'.join(lines))
    if others:
        lines = ['**Other runs.**', '', '| config | options | hmean | FPS |', '|---|---|---|---|']
        for other in others:
            run = other['run']
            lines.append(f'| {osp.basename(run.config)} | {" ".join(run.options) or "–"} | '
                         f'{_number(other["hmean"])} | {_number(other.get("fps"))} |')
        parts.append('\n'.join(lines))
    return '\n\n'.join(parts) + '\n'


def select_tables(names: Optional[Sequence[str]]) -> List[PaperTable]:
    """Tables by name ('Table 1', '1', 'Figure 5'); all of them when ``names`` is empty."""
    from ..utils.errors import InputError
    if not names:
        return list(TABLES.values())
    chosen = []
    for name in names:
        table = TABLES.get(name) or TABLES.get(f'Table {name}')
        if table is None:
            raise InputError(f'no paper table {name!r}; the tables are ' + ', '.join(TABLES))
        chosen.append(table)
    return chosen
