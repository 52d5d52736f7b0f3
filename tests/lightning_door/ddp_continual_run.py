"""Run a tiny continual stream on N CPU processes and write rank 0's results as JSON.

Used by test_lightning_ddp.py: ``python ddp_continual_run.py DEVICES OUT.json [RULE]``.
Lightning's DDP launcher starts the other processes by re-running this script.
"""

import json
import sys

import torch
from lightning_helpers import QUIET, LitClassifier, tiny_scenario

from forgetless.lightning import RuleCallback
from forgetless.lightning.continual_loop import continual_trainer, fit_continual

devices, out = int(sys.argv[1]), sys.argv[2]
rule = sys.argv[3] if len(sys.argv) > 3 else None
scenario = tiny_scenario(T=2, n_train=32, n_test=15)  # odd test size: uneven, unpadded shards
torch.manual_seed(0)
trainer = continual_trainer(
    scenario,
    callbacks=[RuleCallback(rule)] if rule else [],
    logger=False,
    devices=devices,
    strategy="ddp" if devices > 1 else "auto",
    **QUIET,
)
module = LitClassifier()
metrics = fit_continual(trainer, module, scenario, batch_size=8)
if trainer.is_global_zero:
    with open(out, "w") as handle:
        json.dump(
            {
                "matrix": metrics.matrix.tolist(),
                "baseline": metrics.baseline.tolist(),
                "weights": [p.detach().double().flatten().tolist() for p in module.parameters()],
            },
            handle,
        )
