"""``monitors.streaming_accuracy`` in ``forgetless compare`` (on in ``preset=streaming``):
prequential and anytime accuracy in the record and summary.md, the training unchanged."""

from __future__ import annotations

import json

import pytest
from grid_helpers import TINY

from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare

STREAM = [
    *TINY,
    "scenario.streaming=true",
    "train.batch_size=64",
    "train.epochs=1",
    "activations=[relu]",
    "seeds=[0]",
]


def _run(tmp_path, name: str, *overrides: str):
    cfg = load_config([*STREAM, f"output_dir={tmp_path}", f"run_name={name}", *overrides])
    return run_compare(cfg, echo=lambda _: None)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("streaming")
    on = ["monitors.streaming_accuracy=true", "monitors.anytime_every_n_steps=10"]
    return _run(out, "on", *on), _run(out, "off")


def _cell(folder) -> dict:
    return json.loads((folder / "results.json").read_text())["cells"][0]


def test_the_record_holds_prequential_and_anytime_accuracy(runs):
    cell = _cell(runs[0])
    assert 0.5 < cell["prequential_acc"] < 1.0  # learned while streaming, scored before learning
    steps = [step for step, _ in cell["anytime_accuracy"]]
    assert steps and steps == list(range(10, 10 * len(steps) + 1, 10))
    assert all(0.0 <= acc <= 1.0 for _, acc in cell["anytime_accuracy"])


def test_measuring_leaves_the_training_unchanged(runs):
    on, off = (_cell(folder) for folder in runs)
    assert on["accuracy_matrix"] == off["accuracy_matrix"]
    assert off["prequential_acc"] is None and off["anytime_accuracy"] is None


def test_summary_has_the_streaming_table(runs):
    summary = (runs[0] / "summary.md").read_text()
    assert "## Streaming accuracy" in summary and "Prequential ACC" in summary
    assert "## Streaming accuracy" not in (runs[1] / "summary.md").read_text()


def test_the_streaming_preset_reports_them():
    assert load_config(["preset=streaming"]).monitors.streaming_accuracy is True
