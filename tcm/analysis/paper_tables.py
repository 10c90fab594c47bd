"""The TCM paper's tables as data: each cell the config (and ``--cfg-options``) that reproduces it
and the paper's number, from the CVPR slides.

One definition serves the README's tables, the results tool
(``tools/analysis_tools/paper_results.py``) and the tests that build every cell. A row names a
config with ``{}`` where each column puts its dataset part (``icdar2015``, ``td500``, ...);
options apply to every cell of the row, then the column's own.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

#: What a column measures: hmean-iou (evaluation), frames per second (the benchmark tool), or
#: the network's trainable parameters (millions) and FLOPs (G, one image), by the FLOPs tool.
MEASURES = ('hmean', 'fps', 'params', 'flops')


@dataclass(frozen=True)
class Column:
    label: str
    fill: str  # what replaces '{}' in a row's config
    measure: str = 'hmean'
    options: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    method: str
    config: str
    paper: Tuple[Optional[float], ...]  # one per column; None: not in the paper
    options: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperTable:
    name: str
    caption: str
    columns: Tuple[Column, ...]
    rows: Tuple[Row, ...]

    def cell(self, row: Row, column: Column) -> Tuple[str, Tuple[str, ...]]:
        """The config file name and ``--cfg-options`` of one cell."""
        return row.config.format(column.fill), row.options + column.options


IC15, TD, CTW, TT = (Column('IC15', 'icdar2015'), Column('TD', 'td500'), Column('CTW', 'ctw1500'),
                     Column('TT', 'totaltext'))
DBNET, TCM_DBNET = 'dbnet_clip-r50_fpnc_1200e_{}.py', 'tcm-dbnet_clip-r50_fpnc_1200e_{}.py'
NO_GENERATORS = ('model.prompt_generator=None', 'model.visual_prompt_generator=None')
NO_PREDEFINED = ("model.class_names=['']", )


def _prompts(n: int) -> Tuple[str, ...]:
    return (f'model.num_prompts={n}', )


def _lr_factors(image: float, text: float) -> Tuple[str, ...]:
    unfrozen = () if text == 0 else (
        'model.text_encoder.frozen=False',
        f'optim_wrapper.paramwise_cfg.custom_keys.text_encoder.lr_mult={text}')
    return (f'optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult={image}', ) + unfrozen


TABLES: Dict[str, PaperTable] = {
    t.name: t
    for t in [
        PaperTable('Table 1', 'TCM in existing detectors (F-measure; FPS on one V100, ResNet-50)', (
            IC15, TD, CTW, Column('FPS', 'icdar2015', 'fps')), (
                Row('FCENet', 'fcenet_clip-r50_fpn_1500e_{}.py', (86.2, 85.4, 85.5, 11.5)),
                Row('TCM-FCENet', 'tcm-fcenet_clip-r50_fpn_1500e_{}.py', (87.1, 86.9, 85.9, 8.4)),
                Row('PAN', 'panet_clip-r50_fpem-ffm_1200e_{}.py', (82.9, 84.1, 83.7, 36)),
                Row('TCM-PAN', 'tcm-panet_clip-r50_fpem-ffm_1200e_{}.py', (84.6, 85.3, 84.3, 18)),
                Row('DBNet', DBNET, (87.3, 84.9, 83.4, 14.5)),
                Row('TCM-DBNet', TCM_DBNET, (89.2, 88.8, 84.9, 10)),
            )),
        PaperTable('Table 2', 'SynthText-to-real adaptation (F-measure)', (
            Column('ST→IC13', 'synthtext-to-icdar2013'),
            Column('ST→IC15', 'synthtext-to-icdar2015')), (
                Row('DBNet', 'dbnet_clip-r50_fpnc_20e_{}.py', (71.7, 64.0)),
                Row('TCM-DBNet', 'tcm-dbnet_clip-r50_fpnc_20e_{}.py', (79.6, 76.7)),
            )),
        PaperTable('Table 3', 'Real-to-real adaptation (F-measure)', (
            Column('IC13→IC15', 'icdar2013-to-icdar2015'),
            Column('IC13→TD', 'icdar2013-to-td500')), (
                Row('DBNet', DBNET, (63.9, 53.8)),
                Row('TCM-DBNet', TCM_DBNET, (71.9, 65.1)),
            )),
        PaperTable(
            'Table 4', 'DBNet with TCM against pre-training methods (F-measure; TCM fine-tuned '
            'from its detection pre-train)',
            (Column('IC15', 'icdar2015-ft'), Column('TT', 'totaltext-ft'), Column('TD', 'td500-ft'),
             Column('CTW', 'ctw1500-ft')), (Row('DB+TCM', TCM_DBNET, (89.4, 85.9, 88.8, 85.1)), )),
        PaperTable(
            'Table 6', 'Ablation of TCM\'s parts on DBNet (F-measure): PP predefined prompt, LP '
            'learnable prompt tokens, LG language prompt generator, VG visual prompt generator', (
                IC15, TD, TT, CTW), (
                    Row('BSL', DBNET, (87.7, 86.8, 84.7, 83.4)),
                    Row('BSL+PP', TCM_DBNET, (87.75, 87.0, 84.74, 83.5),
                        _prompts(0) + NO_GENERATORS),
                    Row('BSL+PP+LP4', TCM_DBNET, (88.0, 87.1, 84.8, 83.6),
                        _prompts(4) + NO_GENERATORS),
                    Row('BSL+LP4', TCM_DBNET, (87.8, 87.7, 85.1, 83.9), NO_PREDEFINED +
                        _prompts(4) + NO_GENERATORS),
                    Row('BSL+LP18', TCM_DBNET, (88.1, 87.8, 85.3, 83.9), NO_PREDEFINED +
                        _prompts(18) + NO_GENERATORS),
                    Row('BSL+LP32', TCM_DBNET, (88.4, 88.2, 85.4, 84.5), NO_PREDEFINED +
                        _prompts(32) + NO_GENERATORS),
                    Row('BSL+PP+LP4+LG', TCM_DBNET, (88.6, 88.4, 85.5, 84.6),
                        _prompts(4) + ('model.visual_prompt_generator=None', )),
                    Row('TCM (LP4)', TCM_DBNET, (89.2, 88.8, 85.6, 84.9), _prompts(4)),
                    Row('TCM (LP32)', TCM_DBNET, (89.4, 88.8, 85.9, 85.1), _prompts(32)),
                )),
        PaperTable(
            'Table 8', 'Learning-rate factors of the image / text encoder (F-measure; the '
            'slides name no dataset: TD500 assumed, where Table 10 gives TCM-DBNet the same 88.7)',
            (Column('F', 'td500'), ), (
                Row('0.1 / 0.0', TCM_DBNET, (88.7, ), _lr_factors(0.1, 0)),
                Row('0.1 / 0.1', TCM_DBNET, (87.8, ), _lr_factors(0.1, 0.1)),
                Row('0.1 / 1.0', TCM_DBNET, (87.1, ), _lr_factors(0.1, 1.0)),
                Row('1.0 / 1.0', TCM_DBNET, (86.3, ), _lr_factors(1.0, 1.0)),
            )),
        PaperTable(
            'Table 9', 'Trained on the joint data (IC13, IC15, TD, CTW, TT, MLT17), '
            'tested on NightTime-ArT (F-measure)', (
                Column('NightTime-ArT', 'joint-to-nighttime-art'), ), (
                    Row('FCENet', 'fcenet_clip-r50_fpn_1500e_{}.py', (55.2, )),
                    Row('DBNet', DBNET, (52.8, )),
                    Row('TCM-DBNet', TCM_DBNET, (70.2, )),
                )),
        PaperTable(
            'Table 10', 'Deeper DBNets against TCM-DBNet-R50 on TD500 (trainable parameters, '
            'FLOPs of one image, F-measure)', (
                Column('Params (M)', 'td500', 'params'), Column('FLOPs (G)', 'td500', 'flops'),
                Column('F', 'td500')), (
                    Row('DBNet R50', DBNET, (26, 98, 84.9)),
                    Row('DBNet R101', 'dbnet_resnet101_fpnc_1200e_{}.py', (46, 139, 85.9)),
                    Row('DBNet R152', 'dbnet_resnet152_fpnc_1200e_{}.py', (62, 180, 87.3)),
                    Row('TCM-DBNet R50', TCM_DBNET, (50, 156, 88.7)),
                )),
        PaperTable(
            'Figure 5', 'Few-shot training on a seeded fraction of the training images, the same '
            'for TCM and baseline (F-measure; a plot in the paper, no numbers; the abstract: +22 % '
            'on average at 10 %)',
            tuple(
                Column(f'{r:g} %', '', options=(f'train_dataloader.dataset.ratio={r / 100:g}', ))
                for r in (1, 5, 10, 20, 50, 100)),
            tuple(
                Row(f'{method}, {column.label}', config.format(f'{column.fill}-10pct'), (None, ) *
                    6) for column in (IC15, TD, CTW, TT)
                for method, config in (('DBNet', DBNET), ('TCM-DBNet', TCM_DBNET)))),
    ]
}
