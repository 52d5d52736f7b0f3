"""Experience replay whose buffer update calls Avalanche's current API.

Avalanche 0.6's ``ReplayPlugin.after_training_exp`` calls ``storage_policy.update``, deprecated
("switch to pre_adapt and post_adapt"); its decorator re-enables the warning on every call, so a
filter cannot hide it and every replay cell printed it inside the progress bar. ``update`` only
forwards to ``post_adapt(strategy, strategy.experience)``; this subclass makes that call directly.
Same buffer, same samples, same results as ``avalanche.training.Replay``.
"""

from __future__ import annotations

from typing import Any

from avalanche.training.plugins import ReplayPlugin


class QuietReplayPlugin(ReplayPlugin):
    """:class:`avalanche.training.plugins.ReplayPlugin` without the deprecated ``update`` call."""

    def after_training_exp(self, strategy: Any, **kwargs: Any) -> None:
        self.storage_policy.post_adapt(strategy, strategy.experience)
