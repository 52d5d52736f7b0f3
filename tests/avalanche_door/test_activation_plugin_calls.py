"""ActivationPlugin on a model that calls F.relu: call sites swapped, trained, in the optimizer."""

import torch
import torch.nn.functional as F
from avalanche.training import Naive
from avalanche.training.plugins import EvaluationPlugin
from torch import nn

from forgetless.activations import AGLU
from forgetless.avalanche import ActivationPlugin, to_avalanche
from forgetless.scenarios import ExperienceDataset, Scenario


def _tiny_benchmark():
    """One experience of 64 random 28 x 28 images of classes 0 and 1 (fast to train)."""
    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (80, 28, 28), dtype=torch.uint8, generator=g)
    labels = torch.arange(80) % 2
    train = ExperienceDataset(images, torch.arange(64), labels[:64], 0.5, 0.3)
    test = ExperienceDataset(images, torch.arange(64, 80), labels[64:], 0.5, 0.3)
    return to_avalanche(Scenario("tiny", [train], [test], [[0, 1]]))


class FunctionalMLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def test_activation_plugin_swaps_call_sites_and_trains_their_parameters():
    torch.manual_seed(0)
    benchmark = _tiny_benchmark()
    model = FunctionalMLP()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, weight_decay=0.1)
    plugin = ActivationPlugin("aglu")
    strategy = Naive(
        model=model,
        optimizer=optimizer,
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=16,
        train_epochs=1,
        eval_mb_size=500,
        plugins=[plugin],
        evaluator=EvaluationPlugin(loggers=[]),
    )
    strategy.train(benchmark.train_stream[0], eval_streams=[])
    assert plugin.report.checked and plugin.swapped == []
    (site,) = model.forgetless_functional_sites.values()
    assert isinstance(site, AGLU)
    group = next(g for g in optimizer.param_groups if any(p is site.kappa for p in g["params"]))
    assert group["weight_decay"] == 0.0
    assert site.kappa.item() != 1.0 and site.lam.item() != 1.0  # trained
