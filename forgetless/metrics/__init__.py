"""Continual-learning metrics: the accuracy matrix and its summaries (ACC, LA, BWT, FWT, forgetting).

:class:`AccuracyMatrix` is a torchmetrics ``Metric``; it (and torchmetrics, seconds to import) is
loaded on first access, so the summaries can be used without it (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forgetless.metrics.summary import SUMMARY_KEYS, learning_threshold, summarize

if TYPE_CHECKING:
    from forgetless.metrics.accuracy_matrix import AccuracyMatrix

__all__ = ["SUMMARY_KEYS", "AccuracyMatrix", "learning_threshold", "summarize"]


def __getattr__(name: str) -> Any:
    if name == "AccuracyMatrix":
        from forgetless.metrics.accuracy_matrix import AccuracyMatrix

        return AccuracyMatrix
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
