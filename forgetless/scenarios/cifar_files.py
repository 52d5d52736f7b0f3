"""Load CIFAR-10 / CIFAR-100 from the files a user already has, in torchvision's layout.

"Learning Multiple Layers of Features from Tiny Images" (Krizhevsky, 2009) publishes both
datasets as Python pickles: ``cifar-10-batches-py/`` holds ``data_batch_1`` … ``data_batch_5``,
``test_batch`` and ``batches.meta``; ``cifar-100-python/`` holds ``train``, ``test`` and ``meta``.
Each data file is a dict with ``data`` (``N × 3072`` uint8, channel-major 32×32 planes) and
``labels`` (CIFAR-10) or ``fine_labels`` (CIFAR-100), read here with a restricted unpickler
(:class:`_BatchUnpickler`): a pickle can name any Python callable, so only the globals a CIFAR
batch needs (numpy's array reconstruction and ``dtype``) are resolved and anything else is refused
before it runs. Images and labels are then assembled as torchvision's
:class:`~torchvision.datasets.CIFAR10` / :class:`~torchvision.datasets.CIFAR100` do (same order).

Sources (``source=``):

- ``"auto"`` (default): the folder under ``root`` (``<root>/cifar-10-batches-py/`` or ``root``
  itself when it is that folder), or under :data:`~forgetless.scenarios.sources.DEFAULT_DOWNLOAD_ROOT`
  without a root; then torchvision's download only when ``FORGETLESS_ALLOW_DOWNLOAD=1``.
- ``"torchvision"``: ``CIFAR10(root, download=True)`` (the archive's MD5 checked by torchvision).

Local files are checked for structure and integer labels, not against torchvision's MD5 sums
(docs/scenarios.md).
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


def data_files(name: str) -> list[str]:
    """The files torchvision's layout holds for ``name``: training data, test data, metadata."""
    cls = _torchvision_class(name)
    return [f for f, _ in cls.train_list + cls.test_list] + [cls.meta["filename"]]


#: The globals a CIFAR batch pickle may name: ``(module, name)`` -> (numpy submodule, attribute).
#: Python 2 pickles of the published files and numpy 1 pickles say ``numpy.core``; numpy 2 writes
#: ``numpy._core``; protocol 5 uses ``_frombuffer``; Python 3 protocol 2 encodes bytes with
#: ``_codecs.encode``.
_ALLOWED_GLOBALS: dict[tuple[str, str], tuple[str, str]] = {
    **{(f"numpy.{core}.multiarray", "_reconstruct"): ("multiarray", "_reconstruct")
       for core in ("core", "_core")},
    **{(f"numpy.{core}.multiarray", "scalar"): ("multiarray", "scalar")
       for core in ("core", "_core")},
    **{(f"numpy.{core}.numeric", "_frombuffer"): ("numeric", "_frombuffer")
       for core in ("core", "_core")},
    ("numpy", "ndarray"): ("", "ndarray"),
    ("numpy", "dtype"): ("", "dtype"),
    ("_codecs", "encode"): ("codecs", "encode"),
}  # fmt: skip


class _RefusedGlobal(pickle.UnpicklingError):
    """A pickle named a global outside :data:`_ALLOWED_GLOBALS`."""


class _BatchUnpickler(pickle.Unpickler):
    """Unpickler resolving only :data:`_ALLOWED_GLOBALS`; any other global is refused unrun."""

    def find_class(self, module: str, name: str) -> object:
        where = _ALLOWED_GLOBALS.get((module, name))
        if where is None:
            raise _RefusedGlobal(f"refers to {module}.{name}, which a CIFAR batch never holds")
        submodule, attribute = where
        if submodule == "codecs":
            import codecs

            return getattr(codecs, attribute)
        core = getattr(np, "_core", None) or np.core  # numpy 2 | numpy 1
        return getattr(getattr(core, submodule) if submodule else np, attribute)


def _integer_labels(path: Path, labels: object) -> list[int]:
    """``labels`` as Python ints; raise :class:`CorruptDataFileError` naming ``path`` otherwise."""
    if isinstance(labels, np.ndarray):
        if labels.ndim != 1 or labels.dtype.kind not in "iu":
            raise CorruptDataFileError(
                f"{path}: labels are a {labels.dtype} array of shape {labels.shape}, "
                "expected a 1-d integer sequence"
            )
        return labels.tolist()
    if not isinstance(labels, list | tuple):
        raise CorruptDataFileError(f"{path}: labels are {type(labels).__name__}, expected a list")
    for index, label in enumerate(labels):
        if isinstance(label, bool) or not isinstance(label, int | np.integer):
            raise CorruptDataFileError(
                f"{path}: label {index} is {label!r} ({type(label).__name__}), "
                "expected an integer class index"
            )
    return [int(label) for label in labels]


def _read_batch(path: Path, num_classes: int) -> tuple[np.ndarray, list[int]]:
    """The ``data`` and integer labels of one CIFAR data file, unpickled safely and checked.

    Raises:
        CorruptDataFileError: not a pickle, a global other than numpy's array reconstruction
            (nothing of it runs), not a dict with ``data`` and ``labels`` / ``fine_labels``,
            ``data`` not uint8 ``(n, 3072)``, non-integer labels, a count mismatch or labels out
            of range; the message names ``path``.
    """
    try:
        with open(path, "rb") as f:
            entry = _BatchUnpickler(f, encoding="latin1").load()
    except _RefusedGlobal as error:
        raise CorruptDataFileError(f"{path}: refused, the pickle {error}") from None
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
    labels = _integer_labels(path, labels)
    if len(labels) != data.shape[0]:
        raise CorruptDataFileError(f"{path}: {len(labels)} labels for {data.shape[0]} images")
    if len(labels) and not 0 <= min(labels) <= max(labels) < num_classes:
        raise CorruptDataFileError(f"{path}: labels outside 0..{num_classes - 1}")
    return data, labels


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
    cls = _torchvision_class(name)  # the meta file holds class names, unused here

    def split(files: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        batches = [_read_batch(folder / file, num_classes) for file in files]
        data = np.concatenate([data for data, _ in batches]).reshape(-1, 3, 32, 32)
        labels = [label for _, batch_labels in batches for label in batch_labels]
        return torch.from_numpy(np.ascontiguousarray(data)), torch.tensor(labels, dtype=torch.long)

    train_images, train_labels = split([f for f, _ in cls.train_list])
    test_images, test_labels = split([f for f, _ in cls.test_list])
    return ImagesAndLabels(train_images, train_labels, test_images, test_labels)


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
