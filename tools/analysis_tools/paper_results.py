"""The paper's tables with measured numbers beside the paper's, as markdown.

    python tools/analysis_tools/paper_results.py --run CONFIG CHECKPOINT [OPTION ...]
        [--run ...] [--tables 1 6 ...] [--shape H W] [--device cpu] [--out results.md [--force]]

Each ``--run`` evaluates CHECKPOINT with CONFIG on the config's test set (hmean-iou; OPTIONs are
``--cfg-options`` entries, as the README's ablation rows write them) and fills every cell of the
paper's tables that the config and options name; FPS cells are timed by the benchmark tool
(batch 1, ``--shape``, model and post-processing) and parameter/FLOPs cells counted by the FLOPs
tool. Runs that no cell names are listed below the tables. Without ``--run`` it writes the
tables with the paper's numbers only.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)

from tcm.utils.cli import check_device, positive_int  # noqa: E402  (the checkout's)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--run',
        nargs='+',
        action='append',
        default=[],
        metavar='CONFIG CHECKPOINT [OPTION',
        help='a config, its checkpoint and --cfg-options entries (key=value)')
    parser.add_argument('--tables', nargs='+', help="tables to write ('1', 'Table 6', ...)")
    parser.add_argument(
        '--shape',
        nargs=2,
        type=positive_int,
        default=[736, 1280],
        metavar=('H', 'W'),
        help='input size of the FPS and FLOPs cells (default: 736 1280)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--timing-runs', type=positive_int, default=10, help='timed runs per FPS cell')
    parser.add_argument(
        '--work-dir',
        default='work_dirs/paper_results',
        help='where the evaluations log, a folder each (default: work_dirs/paper_results)')
    parser.add_argument('--out', help='write the markdown here (default: print it)')
    parser.add_argument('--force', action='store_true', help='overwrite an existing --out')
    args = parser.parse_args(argv)
    for run in args.run:
        if len(run) < 2:
            parser.error(f'--run {" ".join(run)}: give a CONFIG and its CHECKPOINT')
        for option in run[2:]:
            if '=' not in option:
                parser.error(f'--run {" ".join(run)}: {option!r} is not a key=value config option')

    import tcm  # noqa: F401  (registers tcm's modules)
    from tcm.analysis.paper_results import Run, measure, render, select_tables
    from tcm.utils import atomic_write
    from tcm.utils.cli import run_tool

    def report():
        check_device(args.device)
        tables = select_tables(args.tables)
        runs = []
        for config, checkpoint, *options in args.run:
            for path, what in ((config, 'config'), (checkpoint, 'checkpoint')):
                if not osp.isfile(path):
                    raise FileNotFoundError(f'{what} file not found: {path}')
            runs.append(Run(config, checkpoint, tuple(options)))
        values, others = measure(runs, tables, tuple(args.shape), args.device, args.timing_runs,
                                 args.work_dir)
        text = render(tables, values, others)
        if args.out:
            with atomic_write(args.out, 'w', force=args.force) as handle:
                handle.write(text)
            print(f'wrote {args.out}')
        else:
            print(text, end='')

    run_tool(report)


if __name__ == '__main__':
    main()
