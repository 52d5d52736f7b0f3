"""Small networks for the scenarios: an MLP and a CNN, both built from ``nn.ReLU`` modules so that
activations can be swapped by :func:`forgetless.activations.swap_activations`."""

from forgetless.models.cnn import SmallCNN
from forgetless.models.factory import build_model
from forgetless.models.mlp import MLP
from forgetless.models.normalized_linear import CenteredNormalizedLinear

__all__ = ["MLP", "CenteredNormalizedLinear", "SmallCNN", "build_model"]
