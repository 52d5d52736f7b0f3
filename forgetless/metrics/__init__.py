"""Continual-learning metrics: the accuracy matrix and its summaries (ACC, BWT, FWT, forgetting)."""

from forgetless.metrics.accuracy_matrix import AccuracyMatrix
from forgetless.metrics.summary import SUMMARY_KEYS, summarize

__all__ = ["SUMMARY_KEYS", "AccuracyMatrix", "summarize"]
