"""Networks for the scenarios: an MLP, a small CNN and the reduced ResNet-18 of the continual
learning literature, all built from ``nn.ReLU`` modules so that activations can be swapped by
:func:`forgetless.activations.swap_activations`."""

from forgetless.models.cnn import SmallCNN
from forgetless.models.factory import MODEL_KINDS, build_model
from forgetless.models.mlp import MLP
from forgetless.models.normalized_linear import CenteredNormalizedLinear
from forgetless.models.random_conv import RandomConvNet
from forgetless.models.resnet import ReducedResNet18

__all__ = [
    "MLP",
    "MODEL_KINDS",
    "CenteredNormalizedLinear",
    "RandomConvNet",
    "ReducedResNet18",
    "SmallCNN",
    "build_model",
]
