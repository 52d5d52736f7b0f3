"""StreamingAccuracyPlugin in a real Avalanche strategy on two embedded experiences."""

from __future__ import annotations

import math

import torch
from avalanche.training import Naive
from avalanche.training.plugins import EvaluationPlugin
from torch import nn

from forgetless.avalanche import StreamingAccuracyPlugin, to_avalanche
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


def test_the_avalanche_plugin_scores_before_learning_and_every_n_steps():
    scenario = split_mnist(n_experiences=2, source="embedded")
    torch.manual_seed(0)
    model = MLP(784, [32], 10)
    plugin = StreamingAccuracyPlugin(scenario.test, every_n_steps=5)
    strategy = Naive(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=64,
        train_epochs=1,
        eval_mb_size=500,
        plugins=[plugin],
        evaluator=EvaluationPlugin(loggers=[]),
    )
    for experience in to_avalanche(scenario).train_stream:
        strategy.train(experience)
    assert plugin.prequential.seen == sum(len(d) for d in scenario.train)  # every sample once
    assert 0.5 < plugin.prequential.value < 1.0  # learned, but scored before each update
    steps = [step for step, _ in plugin.anytime]
    assert steps == list(range(5, plugin.steps + 1, 5))
    first_experience_end = math.ceil(len(scenario.train[0]) / 64)
    last_on_first = [acc for step, acc in plugin.anytime if step <= first_experience_end][-1]
    assert last_on_first > 0.9  # one 2-class experience seen: high
    assert plugin.anytime[-1][1] < last_on_first  # after the second, the first is forgotten
