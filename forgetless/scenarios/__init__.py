"""Offline continual-learning scenarios: Split-MNIST, Split-FashionMNIST, Permuted-MNIST,
Split-CIFAR-10/100, streams, validation splits held out of the training data (:mod:`.validation`).

Data come from a user folder of IDX files, the Debian Fashion-MNIST package, torchvision's
download (when allowed) or the embedded 5,000-digit MNIST sample (see :mod:`.sources`); CIFAR
from the user's files in torchvision's layout (see :mod:`.cifar_files`). The scenarios by name:
:data:`forgetless.scenario_specs.SCENARIOS` (one entry each).
"""

from forgetless.scenarios.embedded import load_embedded_mnist
from forgetless.scenarios.experience import ExperienceDataset
from forgetless.scenarios.idx_folder import CorruptDataFileError, ImagesAndLabels
from forgetless.scenarios.permuted import permuted_mnist
from forgetless.scenarios.scenario import Scenario
from forgetless.scenarios.sources import DatasetUnavailableError, LoadedDataset, load_dataset
from forgetless.scenarios.split import (
    split_cifar10,
    split_cifar100,
    split_fashion_mnist,
    split_mnist,
    split_scenario,
)
from forgetless.scenarios.streaming import stream_loader
from forgetless.scenarios.validation import evaluate_on, hold_out

__all__ = [
    "CorruptDataFileError",
    "DatasetUnavailableError",
    "ExperienceDataset",
    "ImagesAndLabels",
    "LoadedDataset",
    "Scenario",
    "evaluate_on",
    "hold_out",
    "load_dataset",
    "load_embedded_mnist",
    "permuted_mnist",
    "split_cifar10",
    "split_cifar100",
    "split_fashion_mnist",
    "split_mnist",
    "split_scenario",
    "stream_loader",
]
