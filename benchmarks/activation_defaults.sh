#!/usr/bin/env bash
# Learning accuracy (LA) of every activation swapped into the plain LightningModule of
# examples/lightning_split_mnist.py (MLP 784-256-256-10, embedded Split-MNIST, batch 64, one epoch
# per experience) at its registry defaults, with SGD 0.05 and with Adam 1e-3 carried across the
# experiences. Usage: benchmarks/activation_defaults.sh [extra example flags, e.g. --accelerator gpu]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
SEEDS=${SEEDS:-"0 1 2"}
# ReLU, then every forgetless activation, from the specs.
ACTIVATIONS="relu $($PY -c 'from forgetless.activations import activation_specs as s
print(" ".join(x.name for x in s() if x.module.__module__.startswith("forgetless")))')"
for optimizer in sgd adam; do
  echo "== optimizer $optimizer, seeds $SEEDS"
  for activation in $ACTIVATIONS; do
    $PY examples/lightning_split_mnist.py --activation "$activation" --optimizer "$optimizer" \
      --seeds $SEEDS "$@" 2>/dev/null | grep "^| $activation "
  done
done
