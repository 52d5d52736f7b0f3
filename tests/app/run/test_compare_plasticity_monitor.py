"""``monitors.plasticity`` in ``forgetless compare``: the monitors' history and tenth means in the
record, logged under ``plasticity/<layer>/<metric>``, a plasticity table in summary.md, and the
training unchanged by monitoring."""

from __future__ import annotations

import csv
import json

import pytest
from grid_helpers import TINY

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.compare import run_compare

TEN = [
    *TINY,
    "scenario.name=permuted_mnist",
    "scenario.n_experiences=10",
    "scenario.validation_fraction=0.49",
    "train.batch_size=256",
    "train.evaluate=current",
    "activations=[relu]",
    "seeds=[0]",
]
MONITORED = ["monitors.plasticity=true", "monitors.every_n_steps=3", "monitors.probe_size=64"]


def _run(tmp_path, name: str, *overrides: str):
    cfg = load_config([*TEN, f"output_dir={tmp_path}", f"run_name={name}", *overrides])
    return run_compare(cfg, echo=lambda _: None)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("monitors")
    return _run(out, "on", *MONITORED, "loggers=[csv]"), _run(out, "off")


def _cell(folder) -> dict:
    return json.loads((folder / "results.json").read_text())["cells"][0]


def test_the_record_holds_the_history_and_its_tenths(runs):
    cell = _cell(runs[0])
    history = cell["plasticity_monitor"]
    assert history[0]["step"] == 0 and history[0]["experience"] == 1
    assert sorted({row["experience"] for row in history}) == list(range(1, 11))
    names = {"plasticity/features.2/dormant_units", "plasticity/features.2/effective_rank"}
    last = cell["plasticity_last_tenth"]
    assert names <= set(last) and set(last) == set(cell["plasticity_first_tenth"])
    assert 0.0 <= last["plasticity/features.2/dormant_units"] <= 1.0
    assert 1.0 <= last["plasticity/features.2/effective_rank"] <= 16.0  # 16 hidden units
    ends = {row["experience"]: row for row in history}
    first_end = ends[1]["plasticity/features.2/srank_0.01"]
    assert cell["plasticity_first_tenth"]["plasticity/features.2/srank_0.01"] == first_end


def test_monitoring_leaves_the_training_unchanged(runs):
    on, off = (_cell(folder) for folder in runs)
    assert on["accuracy_matrix"] == off["accuracy_matrix"]
    assert off["plasticity_monitor"] is None


def test_the_loggers_get_every_monitor_under_the_one_scheme(runs):
    (log,) = (runs[0] / "logs").glob("*/metrics.csv")
    with log.open() as f:
        rows = list(csv.DictReader(f))
    logged = {name for row in rows for name, value in row.items() if value}
    history = _cell(runs[0])["plasticity_monitor"]
    monitored = {name for row in history for name in row if name.startswith("plasticity/")}
    assert monitored <= logged
    assert "continual/la" in logged  # a train.evaluate=current run logs what it measured


def test_summary_has_the_plasticity_table(runs):
    summary = (runs[0] / "summary.md").read_text()
    table = summary.split("## Plasticity", 1)[1]
    assert "LA first 10 %" in table and "Dormant units" in table and "Eff. rank" in table
    assert "Weight mag." in table
    header = next(line for line in table.splitlines() if line.startswith("| Activation"))
    row = next(line for line in table.splitlines() if line.startswith("| relu | naive |"))
    assert header.count("|") == row.count("|") and "→" in row  # no stray "|" in a cell
    off = (runs[1] / "summary.md").read_text().split("## Plasticity", 1)[1]
    assert "Dormant units" not in off.split("\n\n", 2)[1]  # no monitors: LA columns only


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("monitors.probe_size=0", "monitors.probe_size: expected an integer in"),
        ("monitors.every_n_steps=0", "monitors.every_n_steps: expected an integer in"),
        ("rules=[forward_forward]", "monitors.plasticity: measured on backprop cells only"),
    ],
)
def test_bad_monitor_settings_are_refused_with_the_key(override, message):
    cfg = load_config([*TEN, "monitors.plasticity=true", override])
    with pytest.raises(ConfigError, match=message):
        validate(cfg)
