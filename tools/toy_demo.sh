#!/usr/bin/env bash
# tcm's main job, end to end on a fresh machine: set up the environment, make the synthetic toy
# set if it is missing, train TCM-DBNet (tiny CLIP) on it with `mim train tcm`, evaluate it with
# `mim test tcm` (hmean-iou) and draw predicted polygons beside the score map.
#
#   bash tools/toy_demo.sh          # results in work_dirs/toy_demo (TCM_WORK_DIR to change)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash tools/setup_env.sh
export PATH="${TCM_VENV:-$root/.venv}/bin:$PATH"

start=$(date +%s)
config=configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py
work=${TCM_WORK_DIR:-work_dirs/toy_demo}
[ -f data/toy/textdet_test.json ] || python tools/dataset_converters/make_toy_dataset.py data/toy

mim train tcm "$config" --work-dir "$work"
checkpoint=$(cat "$work/last_checkpoint")
mim test tcm "$config" --checkpoint "$checkpoint" --work-dir "$work/test" 2>&1 | tee "$work/test.log"
python tools/infer.py data/toy/textdet_imgs/test/img_{0..5}.jpg --config "$config" \
  --weights "$checkpoint" --out-dir "$work/infer" --explain

hmean=$(grep -o 'icdar/hmean: [0-9.]*' "$work/test.log" | tail -n 1)
echo "toy demo finished in $(( $(date +%s) - start )) s: $hmean (toy test split);" \
  "checkpoint $checkpoint; pictures in $work/infer/{vis,explain}"
