"""Convert a checkpoint of the original TCM (MMOCR 0.4) into a tcm (MMOCR 1.x) checkpoint.

    python tools/convert_legacy_ckpt.py LEGACY.pth OUT.pth [--config CONFIG] [--cfg-options ...]
        [--force] [--unsafe-load]

The legacy file is read with ``weights_only=True``; ``--unsafe-load`` allows full unpickling
for files you trust. The result is checked against the config (default: the headline config
matching the legacy run) by loading it into the model, then written atomically.
"""
import argparse
import os.path as osp
import sys

from mmengine.config import Config, DictAction

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('legacy', help='checkpoint of the original TCM')
    parser.add_argument('out', help='where to write the tcm checkpoint')
    parser.add_argument('--config', help='target tcm config (default: the matching headline one)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override config entries, e.g. model.num_prompts=18')
    parser.add_argument('--force', action='store_true', help='overwrite OUT if it exists')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='unpickle arbitrary objects (can run code; trusted files only)')
    args = parser.parse_args(argv)

    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    import tcm  # noqa: F401  (registers tcm's modules and safe types)
    from tcm.models.tcm import convert_legacy_checkpoint, guess_headline_config
    from tcm.utils import find_config, read_checkpoint, save_checkpoint_atomic
    from tcm.utils.cli import run_tool

    def convert():
        if osp.exists(args.out) and not args.force:
            raise FileExistsError(f'{args.out} exists; pass --force to overwrite it')
        checkpoint = read_checkpoint(args.legacy, unsafe=args.unsafe_load)
        meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
        config = args.config or find_config(guess_headline_config(meta))
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file not found: {config}')
        cfg = Config.fromfile(config)
        cfg.merge_from_dict(args.cfg_options)
        init_default_scope(cfg.get('default_scope', 'mmocr'))
        converted = convert_legacy_checkpoint(
            checkpoint, args.legacy, cfg.model, config, build_model=lambda: MODELS.build(cfg.model))
        save_checkpoint_atomic(converted, args.out, force=args.force)
        print(f'mapped {len(converted["state_dict"])} tensors from {args.legacy} onto {config}; '
              f'wrote {args.out}')

    run_tool(convert, lambda: args.legacy)


if __name__ == '__main__':
    main()
