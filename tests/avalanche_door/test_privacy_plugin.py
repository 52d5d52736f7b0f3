"""A tiny private Avalanche run end to end, and the door's refusals."""

from __future__ import annotations

import pytest
import torch
from avalanche.core import SupervisedPlugin
from opacus.accountants import RDPAccountant
from torch import nn

from forgetless.avalanche import AccuracyMatrixPlugin, ActivationPlugin, to_avalanche
from forgetless.avalanche.cl_strategies import build_cl_strategy
from forgetless.avalanche.privacy_plugin import PrivacyPlugin
from forgetless.avalanche.private_strategy import make_private_strategy
from forgetless.models import MLP
from forgetless.privacy import PrivacySettings
from forgetless.scenarios import split_mnist

pytestmark = pytest.mark.filterwarnings(
    "ignore:Full backward hook is firing", "ignore:No loggers specified"
)

N_TRAINED = 2  # train on the first two experiences of Split-MNIST (embedded sample) only


class Probe(SupervisedPlugin):
    """Records what the training loop actually iterates and steps with."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str]] = set()
        self.iterations = 0

    def before_training_iteration(self, strategy, *args, **kwargs):
        self.seen.add((type(strategy.optimizer).__name__, type(strategy.dataloader).__name__))
        self.iterations += 1


@pytest.fixture(scope="module")
def scenario():
    return split_mnist(source="embedded")


def _model():
    torch.manual_seed(0)
    return MLP(784, (32,), 10)


def test_tiny_private_run_end_to_end(scenario):
    sizes = [len(d) for d in scenario.train[:N_TRAINED]]
    model = _model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    probe, recorder = Probe(), AccuracyMatrixPlugin(N_TRAINED)
    settings = PrivacySettings(target_epsilon=4.0, delta=1e-4, max_grad_norm=1.0)
    strategy, plugin = make_private_strategy(
        "naive",
        model,
        optimizer,
        privacy=settings,
        experience_sizes=sizes,
        train_mb_size=100,
        train_epochs=1,
        eval_mb_size=500,
        plugins=[ActivationPlugin("aglu"), recorder, probe],
        seed=0,
    )
    benchmark = to_avalanche(scenario)
    test_stream = benchmark.test_stream[:N_TRAINED]
    strategy.eval(test_stream)
    for experience in benchmark.train_stream[:N_TRAINED]:
        strategy.train(experience)
        strategy.eval(test_stream)

    # DP-SGD really ran: Opacus's optimizer and Poisson loader, the planned number of steps
    assert probe.seen == {("DPOptimizer", "DPDataLoader")}
    planned = [p.steps for p in plugin.phases]
    assert planned == [n // 100 for n in sizes]
    assert probe.iterations == plugin.ledger.steps == sum(planned)
    # the reported ε is Opacus's accountant's ε for the steps run, over the whole stream
    reference = RDPAccountant()
    reference.history = [(plugin.noise_multiplier, 100 / n, n // 100) for n in sizes]
    assert plugin.ledger.epsilon() == pytest.approx(reference.get_epsilon(delta=1e-4), rel=1e-12)
    assert 4.0 - 0.01 <= plugin.ledger.epsilon() <= 4.0
    assert plugin.ledger.report()["scope"].startswith("whole stream")
    # the learnable activation trained under DP, Avalanche got its plain optimizer back
    aglu = model.features[2]
    assert aglu.kappa.grad_sample is None and aglu.kappa.detach().item() != 1.0
    assert type(strategy.optimizer) is torch.optim.SGD
    R, baseline = recorder.matrix.matrix_and_baseline()
    assert baseline.max() < 0.5  # untrained: about chance on a 10-way head
    assert R[0, 0] > 0.8 and R[1, 1] > 0.55


def test_unsupported_strategy_is_refused_before_training():
    model = _model()
    with pytest.raises(ValueError, match=r"strategy: private training supports \['naive'\]"):
        make_private_strategy(
            "ewc",
            model,
            torch.optim.SGD(model.parameters(), lr=0.1),
            privacy=PrivacySettings(target_epsilon=1.0),
            experience_sizes=[800],
            train_mb_size=10,
            train_epochs=1,
            eval_mb_size=10,
        )


def test_plugin_on_another_strategy_is_refused(scenario):
    model = _model()
    plugin = PrivacyPlugin(PrivacySettings(noise_multiplier=1.0), [800], 100, 1)
    strategy = build_cl_strategy(
        "lwf",
        model,
        torch.optim.SGD(model.parameters(), lr=0.1),
        train_mb_size=100,
        train_epochs=1,
        eval_mb_size=100,
        plugins=[plugin],
    )
    with pytest.raises(ValueError, match=r"strategy: PrivacyPlugin supports \['Naive'\].*LwF"):
        strategy.train(to_avalanche(scenario).train_stream[0])


def test_activation_swap_after_privacy_plugin_is_refused(scenario):
    model = _model()
    plugin = PrivacyPlugin(PrivacySettings(noise_multiplier=1.0), [800], 100, 1)
    strategy = build_cl_strategy(
        "naive",
        model,
        torch.optim.SGD(model.parameters(), lr=0.1),
        train_mb_size=100,
        train_epochs=1,
        eval_mb_size=100,
        plugins=[plugin, ActivationPlugin("apa")],
    )
    with pytest.raises(ValueError, match="put PrivacyPlugin after ActivationPlugin"):
        strategy.train(to_avalanche(scenario).train_stream[0])


def test_bad_delta_and_bad_model_are_refused_before_training():
    model = _model()
    kwargs = dict(experience_sizes=[500, 500], train_mb_size=10, train_epochs=1, eval_mb_size=10)
    with pytest.raises(ValueError, match=r"privacy.delta: .*N = 1000"):
        make_private_strategy(
            "naive",
            model,
            torch.optim.SGD(model.parameters(), lr=0.1),
            privacy=PrivacySettings(target_epsilon=1.0, delta=1e-3),
            **kwargs,
        )
    bn_model = nn.Sequential(nn.Flatten(), nn.Linear(784, 8), nn.BatchNorm1d(8), nn.Linear(8, 10))
    with pytest.raises(ValueError, match=r"layer '2' \(BatchNorm1d\)"):
        make_private_strategy(
            "naive",
            bn_model,
            torch.optim.SGD(bn_model.parameters(), lr=0.1),
            privacy=PrivacySettings(target_epsilon=1.0),
            **kwargs,
        )
