"""Full-precision accuracy matrices of the three reference runs, to diff before and after a change.

A restructuring must leave every number unchanged. This script records, exactly (JSON floats):

- ``default``: every cell of ``forgetless compare`` (preset ``split_mnist``);
- ``rules``: every cell of ``forgetless compare preset=rules_split_mnist``;
- ``lightning``: ``examples/lightning_split_mnist.py``'s ``run`` with the unchanged ReLU model,
  ``hard_ash`` and ``elephant`` (seed 0, one epoch per experience, SGD 0.05).

On CPU the runs are deterministic, so two recordings of the same tree are equal::

    .venv/bin/python benchmarks/accuracy_matrices.py record before.json   # about 2.5 min
    ... change the code ...
    .venv/bin/python benchmarks/accuracy_matrices.py record after.json
    .venv/bin/python benchmarks/accuracy_matrices.py diff before.json after.json   # exit 1 on any change
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESETS = {"default": "split_mnist", "rules": "rules_split_mnist"}
LIGHTNING_ACTIVATIONS = (None, "hard_ash", "elephant")


def _compare_matrices(preset: str) -> dict[str, list[list[float]]]:
    import forgetless

    with tempfile.TemporaryDirectory() as folder:
        results = forgetless.compare(preset, output_dir=folder, run_name="run", progress=False)
    return {
        f"{c['rule']}/{c['activation']}/{c['strategy']}/seed{c['seed']}": c["accuracy_matrix"]
        for c in results["cells"]
    }


def _lightning_matrices() -> dict[str, list[list[float]]]:
    from forgetless.scenarios import split_mnist

    path = ROOT / "examples" / "lightning_split_mnist.py"
    spec = importlib.util.spec_from_file_location("lightning_split_mnist", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    warnings.filterwarnings("ignore")
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    args = argparse.Namespace(
        epochs=1,
        devices=1,
        optimizer="sgd",
        lr=0.05,
        accelerator="cpu",
        precision="32-true",
        progress=False,
    )
    scenario = split_mnist(n_experiences=5, source="embedded")
    return {
        str(name): example.run(scenario, name, args, 0)["accuracy_matrix"]
        for name in LIGHTNING_ACTIVATIONS
    }


def record(out: Path) -> None:
    """Write the matrices of the three runs to ``out``."""
    matrices = {name: _compare_matrices(preset) for name, preset in PRESETS.items()}
    matrices["lightning"] = _lightning_matrices()
    out.write_text(json.dumps(matrices, indent=1))
    print(f"wrote {out}: " + ", ".join(f"{k} {len(v)} runs" for k, v in matrices.items()))


def diff(before: Path, after: Path) -> int:
    """Print which runs differ between two recordings; 0 when all are bit-identical."""
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    changed = 0
    for group in sorted(set(old) | set(new)):
        a, b = old.get(group, {}), new.get(group, {})
        differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        changed += len(differ)
        verdict = "bit-identical" if not differ else f"CHANGED: {', '.join(differ)}"
        print(f"{group}: {len(b)} runs, {verdict}")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("out", type=Path)
    compared = sub.add_parser("diff")
    compared.add_argument("before", type=Path)
    compared.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
