"""The plasticity plugins inside a real Avalanche strategy on two embedded experiences."""

from __future__ import annotations

import pytest
import torch
from avalanche.training import Naive
from avalanche.training.plugins import EvaluationPlugin
from torch import nn

from forgetless.avalanche import (
    ActivationPlugin,
    ContinualBackpropPlugin,
    PlasticityMonitorPlugin,
    ReDoPlugin,
    ShrinkPerturbPlugin,
    to_avalanche,
)
from forgetless.metrics.logged import plasticity_name
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


@pytest.fixture(scope="module")
def scenario():
    return split_mnist(n_experiences=2, source="embedded")


def _train(scenario, plugins, lr=0.05):
    torch.manual_seed(0)
    model = MLP(784, [32], 10)
    strategy = Naive(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=lr),
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=64,
        train_epochs=1,
        eval_mb_size=500,
        plugins=plugins,
        evaluator=EvaluationPlugin(loggers=[]),
    )
    for experience in to_avalanche(scenario).train_stream:
        strategy.train(experience)
    return model


def test_continual_backprop_and_redo_replace_units_of_the_swapped_model(scenario):
    cbp = ContinualBackpropPlugin(replacement_rate=0.01, maturity=5)
    redo = ReDoPlugin(tau=0.5, every=10)
    _train(scenario, [ActivationPlugin("elephant"), cbp, redo])
    assert cbp.method.chains[0].activation.__class__.__name__ == "Elephant"  # after the swap
    assert cbp.method.replaced["features.2"] > 0
    assert redo.method.reset["features.2"] > 0
    with pytest.raises(ValueError, match="replacement_rate"):
        ContinualBackpropPlugin(replacement_rate=2.0)  # checked at construction


def test_shrink_perturb_changes_training_and_the_monitor_records_every_n_steps(scenario):
    probe = torch.stack([scenario.train[0][i][0] for i in range(64)])
    plain = _train(scenario, [])
    monitor = PlasticityMonitorPlugin(probe, every_n_steps=5)
    perturbed = _train(scenario, [ShrinkPerturbPlugin(weight_decay=0.1, sigma=1e-3), monitor])
    assert not torch.equal(plain.classifier.weight, perturbed.classifier.weight)
    rows = monitor.history
    steps = [row["step"] for row in rows]
    assert steps[0] == 0 and steps == sorted(steps) and len(set(steps)) == len(steps)
    ends = [
        i
        for i, row in enumerate(rows)
        if i + 1 == len(rows) or rows[i + 1]["experience"] != row["experience"]
    ]
    assert all(step % 5 == 0 for i, step in enumerate(steps) if i not in ends)  # else an end
    assert [rows[i]["experience"] for i in ends] == [1.0, 2.0]
    first, last = monitor.history[0], monitor.history[-1]
    assert first[plasticity_name("features.1", "weight_change")] == 0.0
    assert last[plasticity_name("features.1", "weight_change")] > 0.0
    assert 0.0 <= last[plasticity_name("features.2", "dormant_units")] <= 1.0
