"""Per-entry Adam step counts for reset entries, as the loss-of-plasticity code's ``AdamGnT``
keeps them ("Loss of plasticity in deep continual learning", Dohare et al., Nature 2024), on
torch's own Adam / AdamW.

torch's Adam counts steps per tensor (``t``), so an entry whose moments were zeroed at step
``r`` is bias-corrected with ``t`` although its moments hold ``k = t − r`` steps. After each
optimizer step :meth:`AdamEntrySteps.correct` moves every such entry from torch's update to the
per-entry one::

    param += −lr · m / c1(k) / (√v / √c2(k) + ε)  −  (−lr · m / c1(t) / (√v / √c2(t) + ε))

with ``c1(s) = 1 − β1^s``, ``c2(s) = 1 − β2^s`` and the step's ``m``, ``v``, so the parameters
follow the per-entry optimizer exactly (the update depends only on ``m``, ``v`` and the count).
Entries never reset are left untouched. Other optimizers (no bias correction), AMSGrad and a
``maximize`` Adam are left as they are. A rebuilt or cleared optimizer state forgets the resets
(every entry then starts afresh anyway).
"""

from __future__ import annotations

import torch
from torch.optim import Optimizer


def _is_adam(optimizer: Optimizer | None) -> bool:
    return isinstance(optimizer, torch.optim.Adam | torch.optim.AdamW)


class AdamEntrySteps:
    """The step at which each entry's Adam moments were last zeroed, per parameter."""

    def __init__(self) -> None:
        # param -> (its exp_avg tensor when recorded, step at reset per entry; 0 = never reset)
        self._resets: dict[torch.Tensor, tuple[torch.Tensor, torch.Tensor]] = {}

    def _current(self, optimizer: Optimizer, param: torch.Tensor) -> torch.Tensor | None:
        """The reset steps of ``param``, or None when its optimizer state was rebuilt since."""
        state = optimizer.state.get(param, {})
        kept = self._resets.get(param)
        if kept is None or state.get("exp_avg") is not kept[0]:
            self._resets.pop(param, None)
            return None
        return kept[1]

    def zeroed(
        self, optimizer: Optimizer | None, param: torch.Tensor, index: torch.Tensor, dim: int
    ) -> None:
        """Record that the entries ``index`` along ``dim`` of ``param`` had their moments zeroed
        after the optimizer's latest step."""
        if not _is_adam(optimizer) or "exp_avg" not in optimizer.state.get(param, {}):
            return
        state = optimizer.state[param]
        steps = self._current(optimizer, param)
        if steps is None:
            steps = torch.zeros(param.shape, dtype=torch.float64, device=param.device)
            self._resets[param] = (state["exp_avg"], steps)
        steps.index_fill_(dim, index.to(param.device), float(state["step"]))

    @torch.no_grad()
    def correct(self, optimizer: Optimizer | None) -> None:
        """Replace torch's update of the latest step by the per-entry one on reset entries."""
        if not _is_adam(optimizer):
            return
        for group in optimizer.param_groups:
            if group.get("amsgrad") or group.get("maximize"):
                continue
            (beta1, beta2), eps, lr = group["betas"], group["eps"], float(group["lr"])
            for param in group["params"]:
                if param not in self._resets:
                    continue
                resets = self._current(optimizer, param)
                if resets is None:
                    continue
                state = optimizer.state[param]
                t = float(state["step"])
                mask = (resets > 0) & (resets < t)
                if not bool(mask.any()):
                    continue
                k = t - resets[mask]
                m = state["exp_avg"][mask].to(torch.float64)
                root_v = state["exp_avg_sq"][mask].to(torch.float64).sqrt()
                torch_update = m / (1 - beta1**t) / (root_v / (1 - beta2**t) ** 0.5 + eps)
                entry_update = m / (1 - beta1**k) / (root_v / (1 - beta2**k).sqrt() + eps)
                shift = -lr * (entry_update - torch_update)
                param[mask] += shift.to(param.dtype)
