"""Load CIFAR-10 / CIFAR-100 from the files a user already has, in torchvision's layout.

"Learning Multiple Layers of Features from Tiny Images" (Krizhevsky, 2009) publishes both
datasets as Python pickles: ``cifar-10-batches-py/`` holds ``data_batch_1`` … ``data_batch_5``,
``test_batch`` and ``batches.meta``; ``cifar-100-python/`` holds ``train``, ``test`` and ``meta``.
Each data file is a dict with ``data`` (``N × 3072`` uint8, channel-major 32×32 planes) and
``labels`` (CIFAR-10) or ``fine_labels`` (CIFAR-100). The reading itself is torchvision's
:class:`~torchvision.datasets.CIFAR10` / :class:`~torchvision.datasets.CIFAR100`.

Sources (``source=``):

- ``"auto"`` (default): the folder under ``root`` (``<root>/cifar-10-batches-py/`` or ``root``
  itself when it is that folder), or under :data:`~forgetless.scenarios.sources.DEFAULT_DOWNLOAD_ROOT`
  without a root; then torchvision's download only when ``FORGETLESS_ALLOW_DOWNLOAD=1``.
- ``"torchvision"``: ``CIFAR10(root, download=True)`` (the archive's MD5 checked by torchvision).

Local files are checked for structure, not against torchvision's MD5 sums (docs/scenarios.md).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import torch

from forgetless.scenario_specs import CIFAR_SOURCES
from forgetless.scenarios.idx_folder import CorruptDataFileError, ImagesAndLabels
from forgetless.scenarios.sources import (
    ALLOW_DOWNLOAD_ENV,
    DEFAULT_DOWNLOAD_ROOT,
    DatasetUnavailableError,
    LoadedDataset,
)

#: name -> (number of classes, per-channel mean, per-channel std) of images scaled to [0, 1].
CIFAR: dict[str, tuple[int, tuple[float, ...], tuple[float, ...]]] = {
    "cifar10": (10, (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)),
    "cifar100": (100, (0.5071, 0.4865, 0.4409), (0.2673, 0.2564, 0.2762)),
}


def _torchvision_class(name: str) -> type:
    from torchvision import datasets

    return datasets.CIFAR10 if name == "cifar10" else datasets.CIFAR100


def _local_class(name: str) -> type:
    """torchvision's class with the MD5 checks replaced by presence (see docs/scenarios.md)."""
    base = _torchvision_class(name)

    class Local(base):
        def _check_integrity(self) -> bool:
            files = [f for f, _ in self.train_list + self.test_list] + [self.meta["filename"]]
            return all(os.path.isfile(os.path.join(self.root, self.base_folder, f)) for f in files)

        def _load_meta(self) -> None:
            self.classes = []  # class names are not used; labels are checked instead

    return Local


def data_files(name: str) -> list[str]:
    """The files torchvision's layout holds for ``name``: training data, test data, metadata."""
    cls = _torchvision_class(name)
    return [f for f, _ in cls.train_list + cls.test_list] + [cls.meta["filename"]]


def _check_file(path: Path, num_classes: int) -> None:
    """Raise :class:`CorruptDataFileError` naming ``path`` if it is not a CIFAR data file."""
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
    except Exception as error:  # truncated, not a pickle, unreadable …
        raise CorruptDataFileError(f"{path}: not a readable CIFAR pickle ({error})") from None
    labels = entry.get("labels", entry.get("fine_labels")) if isinstance(entry, dict) else None
    data = entry.get("data") if isinstance(entry, dict) else None
    if labels is None or not isinstance(data, np.ndarray):
        raise CorruptDataFileError(f"{path}: expected a dict with 'data' and 'labels'")
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
        raise CorruptDataFileError(
            f"{path}: data is {data.dtype} {data.shape}, expected uint8 (n, 3072)"
        )
    if len(labels) != data.shape[0]:
        raise CorruptDataFileError(f"{path}: {len(labels)} labels for {data.shape[0]} images")
    if len(labels) and not 0 <= min(labels) <= max(labels) < num_classes:
        raise CorruptDataFileError(f"{path}: labels outside 0..{num_classes - 1}")


def find_folder(name: str, root: Path | None) -> Path | None:
    """The torchvision-layout folder of ``name`` under ``root`` (or the root itself), if present."""
    base = _torchvision_class(name).base_folder
    search = root if root is not None else DEFAULT_DOWNLOAD_ROOT.expanduser()
    for folder in (search / base, search):
        if folder.name == base and folder.is_dir():
            return folder
    return None


def _read(name: str, folder: Path) -> ImagesAndLabels:
    num_classes = CIFAR[name][0]
    for file in data_files(name):
        if not (folder / file).is_file():
            raise DatasetUnavailableError(
                f"{folder / file}: missing; {folder.name}/ needs {', '.join(data_files(name))}"
            )
    for file in data_files(name)[:-1]:  # the meta file holds class names, unused here
        _check_file(folder / file, num_classes)
    local = _local_class(name)
    train = local(str(folder.parent), train=True)
    test = local(str(folder.parent), train=False)
    return _tensors(train, test)


def _tensors(train: object, test: object) -> ImagesAndLabels:
    def images(dataset: object) -> torch.Tensor:  # HWC uint8 -> (N, 3, 32, 32)
        return torch.from_numpy(np.ascontiguousarray(dataset.data.transpose(0, 3, 1, 2)))

    return ImagesAndLabels(
        train_images=images(train),
        train_labels=torch.tensor(train.targets, dtype=torch.long),
        test_images=images(test),
        test_labels=torch.tensor(test.targets, dtype=torch.long),
    )


def _download(name: str, root: Path | None) -> tuple[ImagesAndLabels, str]:
    from forgetless.scenarios.sources import download_with_timeout

    target = (root or DEFAULT_DOWNLOAD_ROOT).expanduser()
    cls = _torchvision_class(name)
    train, test = download_with_timeout(cls, target)
    return _tensors(train, test), str(target / cls.base_folder)


def load_cifar(
    name: str = "cifar10", source: str = "auto", root: str | os.PathLike | None = None
) -> LoadedDataset:
    """Load ``name`` (``"cifar10"`` | ``"cifar100"``) from ``source`` (see the module doc).

    Raises:
        ValueError: unknown name or source, or a ``root`` that is not a folder.
        CorruptDataFileError: a file is there but is not CIFAR data (the message names it).
        DatasetUnavailableError: a file is missing (named), or no source could provide the data.
    """
    if name not in CIFAR:
        raise ValueError(f"name: unknown dataset {name!r}; expected one of {sorted(CIFAR)}")
    if source not in CIFAR_SOURCES:
        raise ValueError(f"source: {name} reads {list(CIFAR_SOURCES)}, got {source!r}")
    path = None if root is None else Path(root).expanduser()
    if path is not None and source == "auto" and not path.is_dir():
        raise ValueError(f"root: {path} is not an existing folder")
    num_classes, mean, std = CIFAR[name]
    if source == "auto":
        folder = find_folder(name, path)
        if folder is not None:
            return LoadedDataset(name, "files", str(folder), _read(name, folder), mean, std)
        if os.environ.get(ALLOW_DOWNLOAD_ENV) != "1":
            base = _torchvision_class(name).base_folder
            where = path if path is not None else DEFAULT_DOWNLOAD_ROOT
            raise DatasetUnavailableError(
                f"{where / base}: not found; give scenario.root=<folder holding {base}/> "
                f"(torchvision's layout), or set {ALLOW_DOWNLOAD_ENV}=1 or "
                "source=torchvision to download when online"
            )
    data, origin = _download(name, path)
    return LoadedDataset(name, "torchvision", origin, data, mean, std)
