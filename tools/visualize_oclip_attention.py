"""Draw where an oCLIP model looks: its image attention and, per word, its character attention.

    python tools/visualize_oclip_attention.py IMAGE CHECKPOINT --words "ST LING" "A GYLL'S" \
        [--config CONFIG] [--out-dir DIR] [--force]

As the original's tools/visualize_attn.py: the image (long side cut to the model's 512 px)
pasted top-left on an empty canvas, the padding masked for the decoder; a space in a word is
the masked character; the maps are drawn over the image at its own size. Writes DIR/<image>_image_attention.jpg (where the attention pool's
global token looks) and DIR/<image>_char_attention_<i>.jpg (where the decoder looks for word
i's masked character), and prints the character it names. CHECKPOINT is the original trainer's
or one of projects/oCLIP (read with weights_only); CONFIG defaults to the RN50 or RN101 recipe.
"""
import argparse
import os.path as osp
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
if osp.isfile(osp.join(REPO, 'tcm', '__init__.py')):  # run from a checkout: use its tcm
    sys.path.insert(0, REPO)
PROJECT = osp.join(REPO, 'projects', 'oCLIP')
sys.path.insert(0, PROJECT)


def heat_overlay(image, attention, size, shown):
    """The original's picture: the map stretched over the canvas, min-max scaled, inverted,
    JET-coloured and blended 0.8 image + 0.6 map; here cut back to the part of the canvas the
    image covers (``shown``, height and width) and drawn over the image at its own size."""
    import cv2
    import numpy as np
    h, w = shown
    heat = cv2.resize(attention.astype(np.float32), (size, size))[:h, :w]
    heat = cv2.resize(heat, (image.shape[1], image.shape[0]))
    heat = (heat - heat.min()) / max(float(heat.max() - heat.min()), 1e-12) * 255
    heat = cv2.applyColorMap((255 - heat).astype(np.uint8), cv2.COLORMAP_JET)
    return np.clip(0.8 * image + 0.6 * heat, 0, 255).astype(np.uint8)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('image')
    parser.add_argument('checkpoint')
    parser.add_argument('--words', nargs='+', required=True, help='a space marks the mask')
    parser.add_argument('--config', help='oCLIP config (default: the RN50 or RN101 recipe)')
    parser.add_argument('--out-dir', default='work_dirs/oclip_attention')
    parser.add_argument('--force', action='store_true', help='overwrite existing pictures')
    args = parser.parse_args(argv)

    import cv2
    import numpy as np
    import oclip  # noqa: F401  (registers the model)
    import torch
    from oclip.converter import convert_for_model, read_oclip, recipe_for
    from PIL import Image

    from tcm.utils import InputError, atomic_write, build_from_config
    from tcm.utils.cli import run_tool

    def draw():
        if not osp.isfile(args.image):
            raise FileNotFoundError(f'{args.image}: no such image')
        picture = cv2.imread(args.image, cv2.IMREAD_COLOR)
        if picture is None:
            raise InputError(f'{args.image}: cannot be read as an image')
        state = read_oclip(args.checkpoint)
        config = args.config or recipe_for(state)
        model, _ = build_from_config(config)
        if model.first_stage:
            raise InputError(f'{config}: a first-stage oCLIP has no decoder to draw')
        model.load_state_dict(convert_for_model(args.checkpoint, model, state)['state_dict'])
        model.eval()

        size = model.image_encoder.input_resolution
        rgb = Image.fromarray(picture[..., ::-1])
        if max(rgb.size) > size:  # the long side to the model's size, PIL's default filter
            scale = size / max(rgb.size)
            rgb = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))))
        h, w = rgb.height, rgb.width
        mean = torch.tensor(model.data_preprocessor.mean).view(3, 1, 1)
        std = torch.tensor(model.data_preprocessor.std).view(3, 1, 1)
        canvas = torch.zeros(1, 3, size, size)
        canvas[0, :, :h, :w] = (torch.from_numpy(np.array(rgb)).permute(2, 0, 1) - mean) / std
        padded = torch.ones(size, size, dtype=torch.bool)
        padded[:h, :w] = False
        mask = padded[::32, ::32][None]
        tokenizer = model.tokenizer
        words = args.words[:tokenizer.max_words]
        ids = torch.zeros(1, tokenizer.max_words, tokenizer.word_length, dtype=torch.long)
        for i, word in enumerate(words):
            ids[0, i] = torch.tensor(tokenizer.encode_word(word, mask_char=' '))
        with torch.no_grad():
            image_map, char_maps, chars = model.attention_maps(canvas, ids, mask)

        stem = osp.splitext(osp.basename(args.image))[0]
        outputs = [(f'{stem}_image_attention.jpg', image_map[0])]
        outputs += [(f'{stem}_char_attention_{i}.jpg', char_maps[0, i]) for i in range(len(words))]
        existing = [n for n, _ in outputs if osp.exists(osp.join(args.out_dir, n))]
        if existing and not args.force:
            raise FileExistsError(f'{osp.join(args.out_dir, existing[0])} exists; pass --force '
                                  'to overwrite the pictures')
        for name, attention in outputs:
            data = cv2.imencode('.jpg', heat_overlay(picture, attention.numpy(), size, (h, w)))[1]
            with atomic_write(osp.join(args.out_dir, name), force=True) as f:
                f.write(data.tobytes())
        for i, word in enumerate(words):
            print(f'word {i} {word!r}: masked character read as '
                  f'{tokenizer.decode_char(int(chars[0, i]))!r}')
        print(f'wrote {len(outputs)} pictures to {args.out_dir}')

    run_tool(draw, lambda: args.checkpoint)


if __name__ == '__main__':
    main()
