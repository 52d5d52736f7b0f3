"""Continual-learning metrics: the accuracy matrix and its summaries (ACC, LA, BWT, FWT, forgetting)."""

from forgetless.metrics.accuracy_matrix import AccuracyMatrix
from forgetless.metrics.summary import SUMMARY_KEYS, learning_threshold, summarize

__all__ = ["SUMMARY_KEYS", "AccuracyMatrix", "learning_threshold", "summarize"]
