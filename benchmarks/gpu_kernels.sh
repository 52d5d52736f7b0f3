#!/usr/bin/env bash
# The fused kernels on a CUDA device, in one run that fits 10 minutes on an H200: the GPU checks,
# then the benchmark (issue 13) at the sizes its targets are judged on plus the training-step
# mode, then the remaining sizes with whatever time is left. Needs only torch, triton and this
# repository (no omegaconf / Avalanche / Lightning: benchmarks/kernels.py imports the core only).
#
#   benchmarks/gpu_kernels.sh [OUT_DIR]        # default OUT_DIR: $OUT, else runs/gpu_kernels
#   PYTHON=/path/to/python BUDGET=570 benchmarks/gpu_kernels.sh
#
# Steps, in order of importance (each writes its JSON after every case, so a step cut by its
# timeout still leaves what it measured; the step's stdout goes to OUT_DIR/<step>.log):
#   check      benchmarks/kernels.py --check: opcheck of every op, fused vs reference values and
#              gradients on CUDA (Hard ASH's gradient allowing either one-sided derivative at its
#              kinks), torch.compile(fullgraph=True) of a model using every activation
#   targets    64x1024, 8192x4096 and 64M, fp32 and bf16, all activations; compile baselines
#              (reference and plain formula) at 64M; training steps, compiled for tempered
#              sigmoid, Hard ASH and elephant -> targets.json
#   rest       1024x1024 and 16M without compile baselines or training -> rest.json
#
# Targets checked (PASS / FAIL lines at the end of the targets step, in targets.json):
#   * 64M fwd+bwd, fraction of copy bandwidth: elephant and tempered sigmoid >= 90 % fp32 /
#     85 % bf16; ASH and Hard ASH >= 85 %; APA, AGLU, learnable elephant >= 80 %
#   * every fused >= 1.0x torch.compile of the plain formula (64M fwd+bwd)
#   * per call at 64x1024, fused fwd+bwd <= 60 us and never slower than the eager reference
#   * MLP 784-1024-1024-10 training step (batch 256, SGD): fused never slower than kernels off
#     (FORGETLESS_KERNELS=0), and within 1.15x of nn.ReLU (eager vs eager, compiled vs compiled)
# The script exits 1 if the checks failed or a step crashed; missed targets are reported, not
# treated as a crash.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
OUT_DIR=${1:-${OUT:-runs/gpu_kernels}}
BUDGET=${BUDGET:-570}  # seconds for the whole script
mkdir -p "$OUT_DIR"
failed=()
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
unset TRITON_INTERPRET FORGETLESS_KERNELS

step() {  # step NAME MAX_SECONDS COMMAND...
  local name=$1 max=$2
  shift 2
  local left=$((BUDGET - SECONDS))
  local limit=$((max < left ? max : left))
  if [ "$limit" -lt 20 ]; then
    echo "== $name: skipped, ${left} s left of the budget"
    return
  fi
  echo "== $name (at most $limit s)"
  local start=$SECONDS
  timeout "$limit" "$@" >"$OUT_DIR/$name.log" 2>"$OUT_DIR/$name.stderr"
  local code=$?
  tail -n 60 "$OUT_DIR/$name.log"
  echo "-- $name: exit $code, $((SECONDS - start)) s"
  if [ "$code" -ne 0 ]; then
    failed+=("$name")
    tail -n 8 "$OUT_DIR/$name.stderr"
  fi
}

$PY -c "import torch, triton; assert torch.cuda.is_available(), 'no CUDA device'; print(torch.__version__, triton.__version__, torch.cuda.get_device_name())" || exit 1

step check 150 "$PY" benchmarks/kernels.py --check
step targets 330 "$PY" benchmarks/kernels.py --out "$OUT_DIR/targets.json" \
  --sizes 64x1024 8192x4096 64M --compile-sizes 64M \
  --train-compile tempered_sigmoid hard_ash elephant
step rest 200 "$PY" benchmarks/kernels.py --out "$OUT_DIR/rest.json" \
  --sizes 1024x1024 16M --compile-sizes --no-training

echo "total $SECONDS s; JSON and logs in $OUT_DIR"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all steps ran"
