"""The plasticity interventions and monitor as Avalanche plugins; the math is in the core
(:mod:`forgetless.plasticity`).

- :class:`ContinualBackpropPlugin`, :class:`ReDoPlugin`: attached to the model at the first
  training minibatch (after :class:`ActivationPlugin` has swapped the activations; the minibatch
  finds the hidden layers), stepped after every optimizer update;
  :class:`ShrinkPerturbPlugin`: applied after every update.
- :class:`PlasticityMonitorPlugin`: measures a :class:`~forgetless.plasticity.PlasticityMonitor`
  on a fixed probe batch (or one per experience) at the first iteration, every ``every_n_steps``
  iterations and after each experience, into :attr:`~PlasticityMonitorPlugin.history`, and sends
  each measurement to the strategy's loggers (its ``EvaluationPlugin``'s) at the global step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from avalanche.core import SupervisedPlugin
from avalanche.evaluation.metric_results import MetricValue

from forgetless.checks import positive_int
from forgetless.plasticity import PlasticityMonitor
from forgetless.plasticity.continual_backprop import ContinualBackprop
from forgetless.plasticity.redo import ReDo
from forgetless.plasticity.shrink_perturb import ShrinkPerturb


class _AttachedIntervention(SupervisedPlugin):
    """Attaches ``self.method`` (settings checked at construction) at the first minibatch."""

    def __init__(self, method: ContinualBackprop | ReDo) -> None:
        super().__init__()
        self.method = method
        self._attached = False

    def before_forward(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if not self._attached:
            self.method.attach(strategy.model, strategy.mb_x)
            self._attached = True

    def after_update(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self.method.step(strategy.optimizer)


class ContinualBackpropPlugin(_AttachedIntervention):
    """Continual backprop (:class:`~forgetless.plasticity.continual_backprop.ContinualBackprop`;
    keyword arguments as its)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(ContinualBackprop(**settings))


class ReDoPlugin(_AttachedIntervention):
    """ReDo (:class:`~forgetless.plasticity.redo.ReDo`; keyword arguments as its)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(ReDo(**settings))


class ShrinkPerturbPlugin(SupervisedPlugin):
    """Shrink and perturb (:class:`~forgetless.plasticity.shrink_perturb.ShrinkPerturb`; keyword
    arguments as its) after every optimizer update."""

    def __init__(self, **settings: Any) -> None:
        super().__init__()
        self.method = ShrinkPerturb(**settings)

    def after_update(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self.method.step(strategy.optimizer)


Probe = torch.Tensor | Callable[[int], torch.Tensor]


def _checked_probe(probe: torch.Tensor) -> torch.Tensor:
    if not isinstance(probe, torch.Tensor) or probe.dim() == 0 or probe.shape[0] == 0:
        raise ValueError("probe: expected a non-empty batch tensor (N, ...)")
    return probe


class PlasticityMonitorPlugin(SupervisedPlugin):
    """Measure the plasticity metrics on a probe batch during training.

    Args:
        probe: the fixed probe inputs, or a function of the experience index (0-based) giving
            that experience's probe (called once per experience; e.g. its first 1,000
            training inputs, what ``forgetless compare`` uses: docs/plasticity.md).
        every_n_steps: measure every this many training iterations (and after each experience).

    Attributes:
        history: one dict per measurement: ``step`` (iterations done), ``experience`` (1..T),
            then ``plasticity/<layer>/<metric>`` values. Each measurement also goes to the
            loggers of the strategy's evaluator, at ``x_plot`` = ``step``.

    Raises:
        ValueError: an empty probe (a function's: when it is called), or ``every_n_steps`` not
            a positive int.
    """

    def __init__(self, probe: Probe, every_n_steps: int = 100) -> None:
        super().__init__()
        self.probe_of = probe if callable(probe) else None
        self.probe = None if callable(probe) else _checked_probe(probe)
        self.every_n_steps = positive_int("PlasticityMonitorPlugin", "every_n_steps", every_n_steps)
        self.history: list[dict[str, float]] = []
        self.monitor: PlasticityMonitor | None = None
        self.steps = 0
        self._probed: int | None = None

    def _probe_for(self, experience: int) -> torch.Tensor:
        if self.probe_of is not None and self._probed != experience:
            self.probe = _checked_probe(self.probe_of(experience))
            self._probed = experience
        return self.probe

    def _measure(self, strategy: Any) -> None:
        index = strategy.experience.current_experience
        self.monitor.probe = self._probe_for(index)
        values = self.monitor.measure()
        self.history.append({"step": float(self.steps), "experience": float(index + 1), **values})
        loggers = getattr(getattr(strategy, "evaluator", None), "loggers", None) or []
        metrics = [MetricValue(self, name, value, self.steps) for name, value in values.items()]
        for logger in loggers:
            logger.log_metrics(metrics)

    def before_training_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if self.monitor is None:  # the stream's start: weights now are θ_0
            probe = self._probe_for(strategy.experience.current_experience)
            self.monitor = PlasticityMonitor(strategy.model, probe)
            self._measure(strategy)

    def after_training_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self.steps += 1
        if self.steps % self.every_n_steps == 0:
            self._measure(strategy)

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if self.monitor is not None and self.steps % self.every_n_steps:
            self._measure(strategy)
