#!/usr/bin/env bash
# tcm's GPU checks in one go (the README's GPU table comes from it):
#  1. inference speed of DBNet, TCM-DBNet and FastTCM-DBNet (CLIP-R50, random weights) at the
#     ICDAR2015 test scale, 1024x1824: float32, float16 and bfloat16 autocast, channels-last float16;
#  2. one float16 training step (autocast + gradient scaling, as `--amp` does) of every TCM family
#     and of the FCENet baseline, whose loss CUDA autocast would refuse without tcm's float32 head;
#  3. mixed precision through MMEngine's switches on the toy set: `tools/train.py --amp` trains
#     TCM-DBNet (tiny CLIP), `tools/test.py --cfg-options test_cfg.fp16=True` evaluates it;
#  4. tools/infer.py over a folder of 48 photos (1280x720, read at the same 1024x1824) against the
#     network alone, at batch 1 and 8, with 2 reading workers and with none (folder.txt);
#  5. with COMPILE=1, channels-last float16 with torch.compile (minutes of compiling).
#
#   bash tools/analysis_tools/benchmark_gpu.sh [LOG_DIR]      # logs in LOG_DIR (work_dirs/gpu)
#
# Environment: PYTHON (default python3), RUNS (timed runs per config, default 50), COMPILE=1,
# TCM_WORK_DIR (the toy run's work dir, default work_dirs/gpu_toy_amp).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
py=${PYTHON:-python3}
logs=${1:-work_dirs/gpu}
mkdir -p "$logs"

"$py" - <<'PY' | tee "$logs/device.txt"
import torch
if not torch.cuda.is_available():
    raise SystemExit('error: no CUDA GPU visible to torch')
print(torch.cuda.get_device_name(), '| torch', torch.__version__, '| CUDA', torch.version.cuda,
      '| cuDNN', torch.backends.cudnn.version())
PY

configs=(configs/tcm/dbnet/dbnet_clip-r50_fpnc_1200e_icdar2015.py
         configs/tcm/dbnet/tcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py
         configs/fasttcm/dbnet/fasttcm-dbnet_clip-r50_fpnc_1200e_icdar2015.py)
speed() {
  "$py" tools/analysis_tools/benchmark.py "${configs[@]}" --shape 1024 1824 --device cuda \
    --runs "${RUNS:-50}" --warmup 10 "$@" 2>&1 | grep -v -i warn | tee -a "$logs/speed.txt"
}
: > "$logs/speed.txt"
speed
speed --amp --amp-dtype float16
speed --amp --amp-dtype bfloat16
speed --amp --amp-dtype float16 --channels-last

families=(configs/tcm/dbnetpp/tcm-dbnetpp_clip-r50_fpnc_1200e_icdar2015.py
          configs/tcm/fcenet/tcm-fcenet_clip-r50_fpn_1500e_icdar2015.py
          configs/tcm/fcenet/fcenet_clip-r50_fpn_1500e_icdar2015.py
          configs/tcm/panet/tcm-panet_clip-r50_fpem-ffm_1200e_icdar2015.py
          configs/tcm/psenet/tcm-psenet_clip-r50_fpnf_600e_icdar2015.py)
status=0
("$py" - "${configs[@]}" "${families[@]}" <<'PY' 2>&1 | grep -v -i warn | tee "$logs/amp_train_step.txt"
import os.path as osp
import sys

import torch

import tcm  # noqa: F401
from tcm.analysis import build_model, synthetic_batch
from tcm.engine import prepare_model  # what tcm's runner applies to every model

failed = 0
for config in sys.argv[1:]:
    try:
        model, cfg = build_model(config)
        model = prepare_model(model, cfg).cuda().train()
        inputs, samples = synthetic_batch(2, (640, 640))
        with torch.autocast('cuda', dtype=torch.float16):
            losses = model.loss(inputs.cuda(), [s.to('cuda') for s in samples])
        total = sum(v for k, v in losses.items() if 'loss' in k)
        torch.amp.GradScaler('cuda').scale(total).backward()
        print(f'{osp.basename(config)}: float16 training step, loss {total.item():.3f}')
    except Exception as error:  # report every family, then fail
        failed += 1
        print(f'{osp.basename(config)}: FAILED {type(error).__name__}: {error}')
sys.exit(failed)
PY
) || status=1

config=configs/tcm/dbnet/tcm-dbnet_clip-tiny_fpnc_toy.py
[ -f data/toy/textdet_test.json ] || "$py" tools/dataset_converters/make_toy_dataset.py data/toy
work=${TCM_WORK_DIR:-work_dirs/gpu_toy_amp}
start=$(date +%s)
"$py" tools/train.py "$config" --amp --work-dir "$work" > "$logs/toy_amp_train.log" 2>&1
trained=$(( $(date +%s) - start ))
"$py" tools/test.py "$config" "$(cat "$work/last_checkpoint")" --work-dir "$work/test" \
  --cfg-options test_cfg.fp16=True > "$logs/toy_fp16_test.log" 2>&1
echo "toy TCM-DBNet: --amp training ${trained} s (losses in toy_amp_train.log);" \
  "float16 test $(grep -o 'icdar/hmean: [0-9.]*' "$logs/toy_fp16_test.log" | tail -n 1)" \
  | tee "$logs/toy_amp.txt"

: > "$logs/folder.txt"
for batch in 1 8; do
  "$py" tools/analysis_tools/folder_throughput.py "${configs[@]}" --images 48 --device cuda \
    --batch-size "$batch" 2>&1 | grep -v -i warn | tee -a "$logs/folder.txt" || status=1
done

if [ "${COMPILE:-0}" = 1 ]; then
  speed --amp --amp-dtype float16 --channels-last --compile
fi
exit $status
