#!/usr/bin/env bash
# Create or reuse tcm's project-local virtual environment and install the whole stack into it.
#
#   bash tools/setup_env.sh            # then: .venv/bin/python ..., or source .venv/bin/activate
#
# Idempotent: with nothing changed, a second run installs nothing. The stack is pinned once, in
# requirements/stack.txt (read it for the reasons). mmcv 2.0.1 has no wheel for this torch on PyPI:
# it is taken from a wheel cache when one is found, else built from the PyPI source package (about
# 20 minutes on 2 cores) and the wheel is kept in the user cache for the next environment.
#
# Environment:
#   TCM_VENV        where the environment lives (default: <repo>/.venv)
#   TCM_WHEEL_DIR   a folder with a prebuilt mmcv-2.0.1 wheel for this Python and torch (optional)
#   TCM_PYTHON      the interpreter that creates the environment (default: python3.11, else python3)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${TCM_VENV:-$root/.venv}
stack=$root/requirements/stack.txt
wheel_cache=${XDG_CACHE_HOME:-$HOME/.cache}/tcm/wheels
py=$venv/bin/python

log() { printf '[setup_env] %s\n' "$*" >&2; }
# Drop pip noise: warnings about the extra local indexes of these machines, the complaint that
# openmim (installed without its dependencies on purpose, below) lacks opendatalab, and the one
# about the old setuptools the mmcv build needs for a while (the stack install restores it).
quiet() {
  "$@" 2>&1 | { grep -v -e 'is ignored: it is neither a file nor a directory' \
    -e 'dependency resolver does not currently take into account' -e 'requires opendatalab' \
    -e 'requires setuptools>=77' || true; }
}
pipi() { quiet "$py" -m pip install --disable-pip-version-check -q -c "$stack" "$@"; }

if [ ! -x "$py" ]; then
  base=${TCM_PYTHON:-$(command -v python3.11 || command -v python3)}
  log "creating $venv with $base"
  "$base" -m venv "$venv"
fi

have_mmcv() {
  "$py" - <<'PY' 2>/dev/null
import mmcv, mmcv.ops  # noqa: F401  (mmcv.ops fails without the compiled extension)
raise SystemExit(mmcv.__version__ != '2.0.1')
PY
}

build_mmcv() {
  # The sdist forces -std=c++14 but torch >= 2.10 headers need C++20; its setup.py wants an old
  # setuptools (restored by the stack install).
  local work
  work=$(mktemp -d)
  log "building mmcv 2.0.1 from source into $wheel_cache (about 20 minutes on 2 cores)"
  quiet "$py" -m pip install --disable-pip-version-check -q "setuptools<70" wheel ninja
  quiet "$py" -m pip download --disable-pip-version-check -q --no-deps --no-binary :all: \
    --no-build-isolation -d "$work" mmcv==2.0.1
  tar -xzf "$work"/mmcv-2.0.1.tar.gz -C "$work"
  sed -i -e 's/-std=c++14/-std=c++20/g' -e 's/-std=c++17/-std=c++20/g' "$work"/mmcv-2.0.1/setup.py
  mkdir -p "$wheel_cache"
  (cd "$work"/mmcv-2.0.1 && quiet env MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} "$py" -m pip wheel \
    --disable-pip-version-check -q --no-deps --no-build-isolation -w "$wheel_cache" .)
  rm -rf "$work"
}

stack_id=$(cat "$root"/requirements/*.txt "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)
if [ "$(cat "$venv/.tcm-stack" 2>/dev/null)" != "$stack_id" ]; then
  log "installing torch, torchvision and mmengine"
  pipi torch torchvision mmengine "numpy<2" wheel
  if ! have_mmcv; then
    wheel=$(ls "${TCM_WHEEL_DIR:-/nonexistent}"/mmcv-2.0.1-cp311-*.whl "$wheel_cache"/mmcv-2.0.1-cp311-*.whl \
            2>/dev/null | head -n 1 || true)
    if [ -z "$wheel" ]; then
      build_mmcv
      wheel=$(ls "$wheel_cache"/mmcv-2.0.1-cp311-*.whl | head -n 1)
    fi
    log "installing $wheel"
    pipi --no-deps --force-reinstall "$wheel"
  fi
  log "installing mmocr, mmdet, open_clip and the test tools"
  pipi -r "$root/requirements/runtime.txt" -r "$root/requirements/tests.txt" \
    Click colorama model-index pandas requests rich tabulate
  # openmim's own dependencies pin setuptools 60 and old requests/rich through opendatalab,
  # which only `mim download --dataset` uses: install mim without them.
  pipi --no-deps openmim==0.3.9
  have_mmcv || { log "mmcv 2.0.1 with compiled ops does not import in $venv"; exit 1; }
  echo "$stack_id" > "$venv/.tcm-stack"
fi

# tcm itself, as a regular (non-editable) install: `mim train tcm` needs the package's real
# location. Reinstalled only when the files that go into it change.
tcm_id=$(cd "$root" && find pyproject.toml setup.py tcm configs tools projects -type f \( -name '*.py' \
          -o -name '*.toml' -o -name '*.sh' -o -name '*.md' -o -name '*.txt' \) -not -path '*/__pycache__/*' \
          | sort | xargs sha256sum | sha256sum | cut -c1-16)
if [ "$(cat "$venv/.tcm-package" 2>/dev/null)" != "$tcm_id" ]; then
  log "installing tcm from $root"
  rm -rf "$root/build/lib"  # setuptools keeps files removed from the tree there and packages them
  pipi --no-deps --no-build-isolation --force-reinstall "$root"
  echo "$tcm_id" > "$venv/.tcm-package"
fi
