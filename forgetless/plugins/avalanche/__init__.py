"""Avalanche plugins: the Avalanche door into the forgetless core."""

from forgetless.plugins.avalanche.accuracy_matrix_plugin import AccuracyMatrixPlugin
from forgetless.plugins.avalanche.activation_plugin import ActivationPlugin
from forgetless.plugins.avalanche.keep_optimizer_state import KeepOptimizerState
from forgetless.plugins.avalanche.update_clip import UpdateClip

__all__ = ["AccuracyMatrixPlugin", "ActivationPlugin", "KeepOptimizerState", "UpdateClip"]
