#!/usr/bin/env bash
# Set up (or reuse) tcm's environment and run its tests: bash tools/run_tests.sh [pytest args]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash tools/setup_env.sh
exec "${TCM_VENV:-$root/.venv}/bin/python" -m pytest "$@"
