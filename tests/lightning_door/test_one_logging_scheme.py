"""`forgetless compare` (Avalanche's loggers) and a Lightning continual run (Lightning's loggers)
write the same scalar names, on the same step axis (global training steps), experiences 1..T."""

import csv
import json
import math
import warnings

import pytest
import torch
from lightning_helpers import LitClassifier, tiny_scenario
from pytorch_lightning.loggers import CSVLogger, TensorBoardLogger
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.lightning.continual_loop import continual_trainer, fit_continual
from forgetless.metrics.logged import log_interval

NAMES = {
    "train/loss",
    "continual/experience",
    "continual/acc",
    "continual/bwt",
    "continual/fwt",
    "continual/forgetting",
    "continual/avalanche_forgetting",
    "accuracy/experience_1",
    "accuracy/experience_2",
}


def _scalars(folder) -> dict[str, list[tuple[int, float]]]:
    events = EventAccumulator(str(folder))
    events.Reload()
    return {t: [(e.step, e.value) for e in events.Scalars(t)] for t in events.Tags()["scalars"]}


def _csv(path) -> list[dict[str, str]]:
    with open(path) as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def compare_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    env = pytest.MonkeyPatch()
    env.setenv("WANDB_MODE", "offline")  # never contact a server
    env.setenv("WANDB_SILENT", "true")
    overrides = [
        f"output_dir={out}",
        "run_name=logged",
        "scenario.n_experiences=2",
        "model.hidden=[16]",
        "train.batch_size=64",
        "train.epochs=1",  # one pass per experience: the step counts below assume it
        "strategies=[naive]",
        "activations=[relu]",
        "progress=false",
        "loggers=[tensorboard,csv,wandb]",
        "references.joint=false",  # the grid cell only
        "references.heads=[]",
    ]
    try:
        cfg = load_config(overrides)
        folder = run_compare(cfg, echo=lambda line: None)
    finally:
        env.undo()
    sizes = [len(data) for data in build_scenario(cfg.scenario, 0).train]
    cell = json.loads((folder / "results.json").read_text())["cells"][0]
    return folder / "logs" / "backprop-relu-naive-seed0", cell, sizes


@pytest.fixture(scope="module")
def lightning_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lightning")
    scenario = tiny_scenario(T=2)  # 32 training samples per experience
    tb, csv_logger = TensorBoardLogger(tmp, name="tb"), CSVLogger(tmp, name="csv")
    torch.manual_seed(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trainer = continual_trainer(  # no log_every_n_steps: continual_trainer picks it
            scenario,
            logger=[tb, csv_logger],
            accelerator="cpu",
            enable_progress_bar=False,
            enable_model_summary=False,
        )
        metrics = fit_continual(trainer, LitClassifier(log_loss=False), scenario, batch_size=8)
    return tb.log_dir, csv_logger.log_dir, trainer, metrics, [str(w.message) for w in caught]


def test_both_doors_write_the_same_scalar_names(compare_run, lightning_run):
    cell_dir, _, _ = compare_run
    avalanche_tags = set(_scalars(cell_dir / "tensorboard"))
    lightning_tags = set(_scalars(lightning_run[0]))
    assert avalanche_tags == lightning_tags
    assert avalanche_tags >= NAMES and "accuracy/experience_0" not in avalanche_tags
    # the CSV files have the same columns too
    ours = set(_csv(cell_dir / "metrics.csv")[0])
    theirs = set(_csv(f"{lightning_run[1]}/metrics.csv")[0])
    assert ours == theirs == avalanche_tags | {"step"}


def test_steps_are_global_training_steps(compare_run, lightning_run):
    cell_dir, _, sizes = compare_run
    scalars = _scalars(cell_dir / "tensorboard")
    per_experience = [math.ceil(n / 64) for n in sizes]
    ends = [sum(per_experience[: k + 1]) for k in range(2)]  # iterations after each experience
    assert [step for step, _ in scalars["continual/acc"]] == ends
    every = log_interval(sizes, 64)
    loss_steps = [step for step, _ in scalars["train/loss"]]
    assert loss_steps == [s for s in range(ends[-1]) if (s + 1) % every == 0]
    assert all(a < b for a, b in zip(loss_steps, loss_steps[1:], strict=False))
    # the experience index is its own scalar, 1-based: 1 while training the first experience
    experience = dict(scalars["continual/experience"])
    assert experience[loss_steps[0]] == 1 and experience[loss_steps[-1]] == 2
    # Lightning: 32 samples / batch 8 = 4 iterations per experience, every step logged
    lightning = _scalars(lightning_run[0])
    assert [step for step, _ in lightning["continual/acc"]] == [4, 8]
    assert [step for step, _ in lightning["train/loss"]] == list(range(8))
    assert [value for _, value in lightning["continual/experience"]][:4] == [1, 1, 1, 1]


def test_logged_values_are_the_results(compare_run):
    cell_dir, cell, _ = compare_run
    scalars = _scalars(cell_dir / "tensorboard")
    assert scalars["continual/acc"][-1][1] == pytest.approx(cell["acc"], abs=1e-6)
    assert scalars["continual/bwt"][-1][1] == pytest.approx(cell["bwt"], abs=1e-6)
    for j in (1, 2):
        final = scalars[f"accuracy/experience_{j}"][-1][1]
        assert final == pytest.approx(cell["accuracy_matrix"][-1][j - 1], abs=1e-6)
    rows = [r for r in _csv(cell_dir / "metrics.csv") if r["continual/acc"]]
    assert [float(r["continual/acc"]) for r in rows] == pytest.approx(
        [v for _, v in scalars["continual/acc"]], abs=1e-6
    )
    assert [float(r["continual/experience"]) for r in rows] == [1.0, 2.0]


def test_wandb_offline_run_is_written_in_the_cell_folder(compare_run):
    cell_dir, _, _ = compare_run
    runs = list((cell_dir / "wandb").glob("offline-run-*/run-*.wandb"))
    assert len(runs) == 1
    data = runs[0].read_bytes()  # protobuf records: the metric names are stored as text
    assert b"continual/acc" in data and b"train/loss" in data and b"TrainingExperience" not in data


def test_lightning_picks_a_log_interval_that_does_not_warn(lightning_run):
    _, _, trainer, metrics, caught = lightning_run
    assert trainer.log_every_n_steps == log_interval([32, 32], 8) == 1
    assert not [m for m in caught if "logging interval" in m]
    assert metrics.completed() == 2
