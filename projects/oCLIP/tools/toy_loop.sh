#!/usr/bin/env bash
# oCLIP's whole loop on a laptop: pre-train a tiny oCLIP on tcm's toy scenes (their words are
# known), convert its image encoder, fine-tune tcm's tiny TCM-DBNet and plain DBNet from it and
# from scratch, and test all four (hmean-iou on the toy test split).
#
#   bash projects/oCLIP/tools/toy_loop.sh     # results in work_dirs/oclip_toy_loop
#   OCLIP_LOOP_EPOCHS=6 OCLIP_LOOP_PRETRAIN_EPOCHS=15 ...   (the defaults)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
bash tools/setup_env.sh
export PATH="${TCM_VENV:-$root/.venv}/bin:$PATH"

start=$(date +%s)
work=${OCLIP_LOOP_WORK_DIR:-work_dirs/oclip_toy_loop}
epochs=${OCLIP_LOOP_EPOCHS:-6}
pre_epochs=${OCLIP_LOOP_PRETRAIN_EPOCHS:-15}
[ -f data/toy/textdet_test.json ] || python tools/dataset_converters/make_toy_dataset.py data/toy
if ! grep -q '"text"' data/toy/textdet_train.json; then
  echo 'error: data/toy has no words (it was made before tcm labelled its toy scenes with them);' \
    'remove it and run this again' >&2
  exit 1
fi

mim train tcm projects/oCLIP/configs/toy/oclip_clip-tiny_toy.py --work-dir "$work/pretrain" \
  --cfg-options train_cfg.max_epochs="$pre_epochs" param_scheduler.0.end="$pre_epochs" \
  default_hooks.checkpoint.interval="$pre_epochs"
python tools/convert_oclip_ckpt.py "$work/pretrain/epoch_$pre_epochs.pth" "$work/oclip_tcm.pth" \
  --to tcm --force
weights=$(realpath "$work/oclip_tcm.pth")

schedule=(train_cfg.max_epochs="$epochs" train_cfg.val_interval="$epochs"
          param_scheduler.0.end="$epochs" default_hooks.checkpoint.interval="$epochs")
results=()
for detector in tcm-dbnet dbnet; do
  for start_from in oclip scratch; do
    run="$work/$detector-from-$start_from"
    init=()
    [ "$start_from" = oclip ] && init=(model.backbone.pretrained="$weights")
    mim train tcm "${detector}_clip-tiny_fpnc_toy.py" --work-dir "$run" \
      --cfg-options "${schedule[@]}" "${init[@]}"
    mim test tcm "${detector}_clip-tiny_fpnc_toy.py" --checkpoint "$run/epoch_$epochs.pth" \
      --work-dir "$run/test" 2>&1 | tee "$run/test.log"
    results+=("$detector from $start_from: $(grep -o 'icdar/hmean: [0-9.]*' "$run/test.log" | tail -n 1)")
  done
done

echo "oCLIP toy loop finished in $(( $(date +%s) - start )) s (pre-training $pre_epochs epochs," \
  "fine-tuning $epochs epochs each):"
printf '  %s\n' "${results[@]}"
