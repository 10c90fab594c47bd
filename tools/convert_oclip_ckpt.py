"""Convert an oCLIP checkpoint for MMOCR, tcm or this project's model.

SRC is the original trainer's checkpoint or one pre-trained with projects/oCLIP.

    python tools/convert_oclip_ckpt.py SRC DST --to mmocr|tcm|oclip [--config CONFIG] [--force]

--to mmocr   MMOCR's CLIPResNet backbone (RN50; the trunk only), the keys and tensors of the
             original's tools/convert2mmocr.py; use it as backbone.init_cfg=dict(
             type='Pretrained', checkpoint=DST) of MMOCR's oCLIP detector configs.
--to tcm     tcm's CLIP image encoder (trunk and attention pool, 384 wide), a CLIP state dict
             for CLIPResNetWithAttention(pretrained=DST, output_dim=384); with --clip RN50.pt,
             those CLIP weights with oCLIP's trunk (CLIP's attention pool and text tower), for
             TCM's model.clip_pretrained.
--to oclip   projects/oCLIP's OCLIP model (MMEngine checkpoint; default config: RN50 or RN101
             by the file's depth; a file without the decoder builds it with first_stage=True).

The file is read with weights_only (nothing stored in it runs); each result is loaded strictly
into the model it is for before it is written, atomically.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)
PROJECT = osp.join(REPO, 'projects', 'oCLIP')
sys.path.insert(0, PROJECT)


def checked_mmocr(state, path):
    from mmocr.models.common.backbones import CLIPResNet

    from tcm.utils import InputError, check_state_dict
    if len({k.split('.')[1] for k in state if k.startswith('layer3.')}) != 6:
        raise InputError(f'{path}: MMOCR\'s CLIPResNet has depth 50 only and this encoder is '
                         'not RN50 (--to tcm keeps it)')
    backbone = CLIPResNet()
    check_state_dict(backbone.state_dict(), state, path, 'MMOCR\'s CLIPResNet is RN50')
    backbone.load_state_dict(state, strict=True)
    return state


def checked_tcm(state, path):
    """The encoder built from the file's own sizes (heads are not stored: the preset's rule)."""
    from tcm.models.clip import CLIPResNetWithAttention
    from tcm.utils import check_state_dict
    pos = state['visual.attnpool.positional_embedding']
    encoder = CLIPResNetWithAttention(
        layers=[
            len({k.split('.')[2]
                 for k in state if k.startswith(f'visual.layer{i}.')}) for i in range(1, 5)
        ],
        width=state['visual.conv1.weight'].shape[0] * 2,
        output_dim=state['visual.attnpool.c_proj.weight'].shape[0],
        input_resolution=round((pos.shape[0] - 1)**0.5) * 32)
    weights = encoder.clip_state_dict(state)
    check_state_dict(encoder.state_dict(), weights, path, 'not a CLIP ResNet encoder')
    encoder.load_state_dict(weights, strict=True)
    return state


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='oCLIP checkpoint (epoch_<n>.pt, or OCLIP\'s .pth)')
    parser.add_argument('dst', help='where to write the converted file')
    parser.add_argument('--to', required=True, choices=('mmocr', 'tcm', 'oclip'))
    parser.add_argument('--config', help='oCLIP config of the same variant (--to oclip)')
    parser.add_argument('--clip', help='CLIP weights whose trunk oCLIP\'s replaces (--to tcm)')
    parser.add_argument('--force', action='store_true', help='overwrite DST if it exists')
    args = parser.parse_args(argv)
    if args.clip and args.to != 'tcm':
        sys.exit('error: --clip goes with --to tcm')

    import oclip  # noqa: F401  (registers the model)
    from oclip.converter import (convert_for_model, read_oclip, recipe_for, to_mmocr, to_tcm,
                                 trunk_into_clip)

    import tcm  # noqa: F401
    from tcm.utils import build_from_config, save_checkpoint_atomic
    from tcm.utils.cli import run_tool

    def convert():
        if osp.exists(args.dst) and not args.force:
            raise FileExistsError(f'{args.dst} exists; pass --force to overwrite it')
        state = read_oclip(args.src)
        if args.to == 'mmocr':
            result = checked_mmocr(to_mmocr(state), args.src)
        elif args.to == 'tcm' and args.clip:
            from tcm.models.clip import read_clip_state_dict
            result = checked_tcm(
                trunk_into_clip(state, read_clip_state_dict(args.clip), args.src), args.src)
        elif args.to == 'tcm':
            result = checked_tcm(to_tcm(state), args.src)
        else:
            config = args.config or recipe_for(state)
            first_stage = 'text_class.weight' not in state  # trained with --first
            model, _ = build_from_config(config,
                                         {'model.first_stage': True} if first_stage else None)
            result = convert_for_model(args.src, model, state)
            model.load_state_dict(result['state_dict'], strict=True)
            result['meta']['config'] = osp.basename(config)
        save_checkpoint_atomic(result, args.dst, force=args.force)
        count = len(result.get('state_dict', result))
        print(f'wrote {count} tensors from {args.src} for {args.to} to {args.dst}')

    run_tool(convert, lambda: args.src)


if __name__ == '__main__':
    main()
