"""KeepOptimizerState when Avalanche resets the optimizer and the model changes device or dtype.

On a GPU, ``forgetless compare preset=hard_ash_recipe train.device=cuda`` failed in every cell
with ``KeyError: 'sum'`` in Adagrad's ``_init_group``: Adagrad makes its accumulators in its
constructor (on the CPU, where the model was), Avalanche wipes the optimizer state the first time
it builds the optimizer and moves the model to the device. These tests reproduce that code path
on the CPU: an Adagrad that, like the failing one, only has the state its constructor made, and a
model whose parameters change dtype (or are replaced by new objects) after its state exists.
"""

import pytest
import torch
from avalanche.training import Naive
from avalanche.training.plugins import EvaluationPlugin
from torch import nn

from forgetless.avalanche import KeepOptimizerState, to_avalanche
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


@pytest.fixture(scope="module")
def benchmark():
    return to_avalanche(split_mnist(n_experiences=2, source="embedded"))


class ConstructorStateAdagrad(torch.optim.Adagrad):
    """Adagrad that refuses to create state lazily: every stepped parameter needs the ``sum`` its
    constructor made (Adagrad releases without lazy initialisation raised ``KeyError: 'sum'``)."""

    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and "sum" not in self.state[p]:
                    raise KeyError("sum")
        return super().step(closure)


class CastingMLP(MLP):
    """An MLP that feeds its inputs in its own dtype, so it can be moved to float64."""

    def forward(self, x):
        return super().forward(x.to(self.classifier.weight.dtype))


def _naive(model, optimizer, plugins):
    return Naive(
        model=model,
        optimizer=optimizer,
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=256,
        train_epochs=1,
        eval_mb_size=500,
        plugins=plugins,
        evaluator=EvaluationPlugin(loggers=[]),
    )


def _steps(benchmark, experiences):
    return sum(-(-len(benchmark.train_stream[i].dataset) // 256) for i in range(experiences))


def test_constructor_state_survives_avalanches_first_reset(benchmark):
    torch.manual_seed(0)
    model = MLP(784, [8], 10)
    optimizer = ConstructorStateAdagrad(model.parameters(), lr=0.01, initial_accumulator_value=0.5)
    with pytest.raises(KeyError, match="sum"):  # the failure, without the plugin
        _naive(model, optimizer, []).train(benchmark.train_stream[0])

    model = MLP(784, [8], 10)
    optimizer = ConstructorStateAdagrad(model.parameters(), lr=0.01, initial_accumulator_value=0.5)
    _naive(model, optimizer, [KeepOptimizerState()]).train(benchmark.train_stream[0])
    for p in model.parameters():
        state = optimizer.state[p]
        assert float(state["step"]) == _steps(benchmark, 1)
        assert bool((state["sum"] >= 0.5).all())  # grew from the constructor's accumulator


def test_state_follows_a_change_of_dtype(benchmark):
    torch.manual_seed(0)
    model = CastingMLP(784, [8], 10)
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
    strategy = _naive(model, optimizer, [KeepOptimizerState()])
    strategy.train(benchmark.train_stream[0])
    model.double()  # the parameters change dtype after their state exists (as on .to("cuda"))
    strategy.train(benchmark.train_stream[1])
    for p in model.parameters():
        assert p.dtype == torch.float64
        assert optimizer.state[p]["sum"].dtype == torch.float64
        assert float(optimizer.state[p]["step"]) == _steps(benchmark, 2)


def test_state_follows_parameters_replaced_by_a_conversion(benchmark):
    """With overwrite-on-conversion every ``model.to(device)`` makes new parameter objects, as
    some device moves do: the state is found again by the parameter's name."""
    torch.manual_seed(0)
    model = MLP(784, [8], 10)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    strategy = _naive(model, optimizer, [KeepOptimizerState()])
    previous = torch.__future__.get_overwrite_module_params_on_conversion()
    torch.__future__.set_overwrite_module_params_on_conversion(True)
    try:
        strategy.train(benchmark.train_stream[0])
        first = {name: id(p) for name, p in model.named_parameters()}
        strategy.train(benchmark.train_stream[1])
    finally:
        torch.__future__.set_overwrite_module_params_on_conversion(previous)
    assert first != {name: id(p) for name, p in model.named_parameters()}  # replaced
    for p in model.parameters():
        assert float(optimizer.state[p]["step"]) == _steps(benchmark, 2)
