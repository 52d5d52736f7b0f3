"""forgetless's replay equals Avalanche's ``Replay`` and prints no deprecation warning."""

from __future__ import annotations

import warnings

import torch
from avalanche.training import Replay
from torch import nn

from forgetless.avalanche import (
    AccuracyMatrixPlugin,
    build_cl_strategy,
    quiet_evaluator,
    to_avalanche,
)
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


def _matrix(make_strategy) -> torch.Tensor:
    benchmark = to_avalanche(split_mnist(n_experiences=2, source="embedded"))
    torch.manual_seed(0)
    model = MLP(784, [16], 10)
    recorder = AccuracyMatrixPlugin(2)
    strategy = make_strategy(model, torch.optim.SGD(model.parameters(), lr=0.05), recorder)
    for experience in benchmark.train_stream:
        strategy.train(experience)
        strategy.eval(benchmark.test_stream)
    return recorder.matrix.matrix_and_baseline()[0]


def test_replay_matches_avalanche_without_deprecation_warnings():
    common = {"train_mb_size": 64, "train_epochs": 1, "eval_mb_size": 500}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = _matrix(
            lambda model, opt, rec: build_cl_strategy(
                "replay", model, opt, plugins=[rec], mem_size=50, **common
            )
        )
    assert not [w for w in caught if "deprecated" in str(w.message).lower()]
    theirs = _matrix(
        lambda model, opt, rec: Replay(
            model=model,
            optimizer=opt,
            criterion=nn.CrossEntropyLoss(),
            mem_size=50,
            plugins=[rec],
            evaluator=quiet_evaluator(),
            **common,
        )
    )
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0)
