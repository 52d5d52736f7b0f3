"""The issue-13 targets of ``benchmarks/kernels.py``, judged from its JSON rows (PASS / FAIL).

* copy bandwidth at 64M elements, forward + backward (fused): elephant and tempered sigmoid
  >= 90 % (fp32) / 85 % (bf16); ASH and Hard ASH >= 85 %; APA, AGLU, learnable elephant >= 80 %;
* every fused activation >= 1.0× ``torch.compile`` of the plain formula (forward + backward, at
  64M and at 8192×4096);
* per call at 64×1024, fused forward + backward <= 60 µs, and never slower than the eager
  reference (fp32 and bf16);
* MLP training step (784-1024-1024-10, batch 256, SGD): fused never slower than kernels off,
  and within 1.15× of ``nn.ReLU`` (eager against eager, compiled against compiled).
"""

from __future__ import annotations

import math

COPY_FRACTION = {
    "elephant": {"fp32": 0.90, "bf16": 0.85},
    "tempered_sigmoid": {"fp32": 0.90, "bf16": 0.85},
    "ash": {"fp32": 0.85, "bf16": 0.85},
    "hard_ash": {"fp32": 0.85, "bf16": 0.85},
    "apa": {"fp32": 0.80, "bf16": 0.80},
    "aglu": {"fp32": 0.80, "bf16": 0.80},
    "learnable_elephant": {"fp32": 0.80, "bf16": 0.80},
}
VS_PLAIN_COMPILE = 1.0
SMALL = "64x1024"
SMALL_MAX_US = 60.0
RELU_FACTOR = 1.15


def _verdict(target: str, value: float, limit: float, passed: bool) -> dict:
    # A NaN (a measurement that failed) never passes.
    return {
        "target": target,
        "value": value,
        "limit": limit,
        "pass": bool(passed) and not math.isnan(value),
    }


def kernel_verdicts(rows: list[dict]) -> list[dict]:
    """Verdicts from the per-activation rows (fwd+bwd only)."""
    verdicts = []
    for row in rows:
        if row["mode"] != "fwd+bwd":
            continue
        where = f"{row['activation']} {row['dtype']} {row['size']}"
        if row["size"] == "64M" and row["activation"] in COPY_FRACTION:
            limit = COPY_FRACTION[row["activation"]][row["dtype"]]
            value = row["fused_copy_fraction"]
            verdicts.append(_verdict(f"{where}: copy fraction", value, limit, value >= limit))
        if row["size"] in ("64M", "8192x4096"):
            value = row["fused_vs_plain_compile"]
            verdicts.append(
                _verdict(
                    f"{where}: x compile(plain)", value, VS_PLAIN_COMPILE, value >= VS_PLAIN_COMPILE
                )
            )
        if row["size"] == SMALL:
            us = 1000 * row["fused_ms"]
            verdicts.append(_verdict(f"{where}: fused µs", us, SMALL_MAX_US, us <= SMALL_MAX_US))
            value = row["fused_vs_eager"]
            verdicts.append(_verdict(f"{where}: x eager", value, 1.0, value >= 1.0))
    return verdicts


def training_verdicts(rows: list[dict]) -> list[dict]:
    """Verdicts from the training-step rows: fused vs kernels off and vs nn.ReLU."""
    by_key = {(r["activation"], r["variant"]): r for r in rows}
    relu = by_key.get(("relu", "relu"))
    verdicts = []
    for (name, variant), row in by_key.items():
        if variant != "fused":
            continue
        off = by_key.get((name, "reference"))
        for mode in ("eager", "compiled"):
            if f"{mode}_ms" not in row:
                continue  # not measured (compiled only for some activations)
            ms = row[f"{mode}_ms"]
            if off is not None:
                ratio = ms / off[f"{mode}_ms"]
                verdicts.append(
                    _verdict(f"train {name} {mode}: fused / kernels off", ratio, 1.0, ratio <= 1.0)
                )
            if relu is not None:
                ratio = ms / relu[f"{mode}_ms"]
                verdicts.append(
                    _verdict(
                        f"train {name} {mode}: fused / relu",
                        ratio,
                        RELU_FACTOR,
                        ratio <= RELU_FACTOR,
                    )
                )
    return verdicts


def print_verdicts(verdicts: list[dict]) -> int:
    """Print one PASS / FAIL line per verdict; return the number of FAILs."""
    for v in verdicts:
        print(
            f"{'PASS' if v['pass'] else 'FAIL'}  {v['target']}: {v['value']:.3f} (limit {v['limit']})"
        )
    failed = sum(not v["pass"] for v in verdicts)
    print(f"targets: {len(verdicts) - failed} PASS, {failed} FAIL")
    return failed
