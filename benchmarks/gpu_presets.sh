#!/usr/bin/env bash
# Every preset once on a CUDA device (seed 0), then the Lightning door on the GPU (fp32 and
# bf16-mixed). For a session that has a GPU; each step's table, its exit code and its wall time are
# printed, and the script exits 1 if any step failed (the compare command exits 1 itself when a
# cell failed, 2 on a bad config or missing data).
#
#   benchmarks/gpu_presets.sh [OUT_DIR]                 # default OUT_DIR: runs/gpu
#   PYTHON=/path/to/python FASHION_ROOT=/idx/folder benchmarks/gpu_presets.sh
#
# The Python must have forgetless's dependencies (avalanche-lib, omegaconf, opacus, pytorch-lightning,
# torchmetrics, tqdm; `pip install -e ".[all]"`). A CUDA machine's image may lack some of them.
# split_fashion_mnist needs the full Fashion-MNIST: the Debian package dataset-fashion-mnist, or
# FASHION_ROOT pointing at a folder of the four IDX files. STEP_TIMEOUT (seconds, default 400)
# bounds each step.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=${1:-runs/gpu}
STEP_TIMEOUT=${STEP_TIMEOUT:-400}
mkdir -p "$OUT"
failed=()

step() {  # step NAME COMMAND...
  local name=$1
  shift
  echo "== $name"
  local start=$SECONDS
  timeout "$STEP_TIMEOUT" "$@" 2>"$OUT/$name.stderr" | tail -n 25
  local code=${PIPESTATUS[0]}
  echo "-- $name: exit $code, $((SECONDS - start)) s"
  if [ "$code" -ne 0 ]; then
    failed+=("$name")
    tail -n 5 "$OUT/$name.stderr"
  fi
}

$PY -c "import torch; assert torch.cuda.is_available(), 'no CUDA device'; print(torch.__version__, torch.cuda.get_device_name())" || exit 1

for preset in $($PY -m forgetless.app.cli presets); do
  extra=()
  if [ "$preset" = split_fashion_mnist ] && [ -n "${FASHION_ROOT:-}" ]; then
    extra=(scenario.source=idx "scenario.root=$FASHION_ROOT")
  fi
  step "$preset" "$PY" -m forgetless.app.cli compare "preset=$preset" train.device=cuda \
    "seeds=[0]" progress=false "output_dir=$OUT" "run_name=$preset" "${extra[@]}"
done

for precision in 32-true bf16-mixed; do
  for activation in elephant apa learnable_elephant hard_ash; do
    step "lightning-$activation-$precision" "$PY" examples/lightning_split_mnist.py \
      --accelerator gpu --precision "$precision" --activation "$activation" --baseline
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all steps passed"
