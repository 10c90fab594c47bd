"""Convert a released CLIP4STR checkpoint (Lightning ``.ckpt`` or ``.pt``) into this project's.

    python tools/convert_clip4str_ckpt.py SRC DST [--config CONFIG] [--force]

The file is read for its tensors only: nothing stored in it runs (optimizer and scheduler
states become inert stubs). The weights are renamed, the decoders' rows reordered to the
config's dictionary, every tensor checked against the config's model (default: the ViT-B/16
config, or L/14 or H/14 by the file's shapes), and an MMEngine checkpoint written atomically.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)
PROJECT = osp.join(REPO, 'projects', 'CLIP4STR')
sys.path.insert(0, PROJECT)

#: image-tower width -> the config of that variant
VARIANTS = {768: 'vit-b16', 1024: 'vit-l14', 1280: 'vit-h14'}


def default_config(state) -> str:
    from tcm.utils import InputError
    width = state['clip_model.visual.conv1.weight'].shape[0]
    if width not in VARIANTS:
        raise InputError(f'an image tower {width} wide is none of the CLIP4STR variants; '
                         'give --config')
    return osp.join(PROJECT, 'configs', f'_base_clip4str_{VARIANTS[width]}.py')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='released CLIP4STR checkpoint')
    parser.add_argument('dst', help='where to write the converted checkpoint')
    parser.add_argument('--config', help='CLIP4STR config of the same variant')
    parser.add_argument('--force', action='store_true', help='overwrite DST if it exists')
    args = parser.parse_args(argv)

    import clip4str  # noqa: F401  (registers the recognizer)
    from clip4str.converter import convert_clip4str, read_released

    import tcm  # noqa: F401
    from tcm.utils import build_from_config, save_checkpoint_atomic
    from tcm.utils.cli import run_tool

    def convert():
        if osp.exists(args.dst) and not args.force:
            raise FileExistsError(f'{args.dst} exists; pass --force to overwrite it')
        config = args.config or default_config(read_released(args.src)['state'])
        model, _ = build_from_config(config)
        converted = convert_clip4str(args.src, model)
        model.load_state_dict(converted['state_dict'], strict=True)
        converted['meta']['config'] = osp.basename(config)
        save_checkpoint_atomic(converted, args.dst, force=args.force)
        print(f'mapped {len(converted["state_dict"])} tensors from {args.src} onto {config}; '
              f'wrote {args.dst}')

    run_tool(convert, lambda: args.src)


if __name__ == '__main__':
    main()
