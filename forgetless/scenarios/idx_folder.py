"""Read MNIST-style IDX files (plain or gzipped) from a folder, with torchvision's IDX readers.

The IDX format ("Gradient-Based Learning Applied to Document Recognition", LeCun et al. 1998,
section on the MNIST database) stores a 4-byte magic number ``0x0000TTNN`` (``TT`` = element
type, ``0x08`` = uint8; ``NN`` = number of dimensions), then one big-endian uint32 per dimension,
then the data. Parsing is left to :func:`torchvision.datasets.mnist.read_image_file` and
:func:`~torchvision.datasets.mnist.read_label_file`; this module only finds the files, unzips
``.gz`` files to a temporary folder, checks the magic number up front (so that a wrong file is
reported precisely even under ``python -O``, where torchvision's own asserts vanish) and turns
every failure into a :class:`CorruptDataFileError` naming the file. torchvision is imported
only when a file is read (importing it costs seconds; the embedded sample does not need it).
"""

from __future__ import annotations

import gzip
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import torch

#: Stem of each of the four files, per split, as published with MNIST and Fashion-MNIST.
IDX_STEMS: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
IMAGE_MAGIC = 0x00000803  # uint8, 3 dimensions (count, rows, cols)
LABEL_MAGIC = 0x00000801  # uint8, 1 dimension (count)
IMAGE_SIDE = 28
NUM_CLASSES = 10


class CorruptDataFileError(ValueError):
    """A data file exists but cannot be read as the expected IDX content."""


class IncompleteDataFolderError(CorruptDataFileError, FileNotFoundError):
    """Some, but not all, of the four IDX files are in a folder (also a ``FileNotFoundError``)."""


@dataclass(frozen=True)
class ImagesAndLabels:
    """Train and test images (uint8, ``(N, 28, 28)``) and labels (int64, ``(N,)``)."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor


def candidate_folders(root: Path, torchvision_folder: str) -> list[Path]:
    """Folders that may hold the four files: torchvision's ``<root>/<Name>/raw``, then ``root``."""
    return [root / torchvision_folder / "raw", root]


def _find_file(folder: Path, stem: str) -> Path | None:
    """The file for ``stem`` in ``folder``: plain, ``.gz``, or with Kaggle's ``.idx`` spelling."""
    dotted = stem.replace("-idx", ".idx")
    for name in (stem, stem + ".gz", dotted, dotted + ".gz"):
        path = folder / name
        if path.is_file():
            return path
    return None


def find_idx_files(folder: Path) -> dict[str, Path] | None:
    """The four IDX files in ``folder``, or None when none of them is there.

    Raises:
        IncompleteDataFolderError: some but not all of the four files are present (names the
            missing ones); a :class:`CorruptDataFileError` and a ``FileNotFoundError``.
    """
    found = {key: _find_file(folder, stem) for key, stem in IDX_STEMS.items()}
    if all(path is None for path in found.values()):
        return None
    missing = [IDX_STEMS[key] for key, path in found.items() if path is None]
    if missing:
        raise IncompleteDataFolderError(
            f"IDX folder {folder} is incomplete: missing {', '.join(missing)} "
            "(plain or .gz); all four of train/t10k images/labels are needed"
        )
    return {key: path for key, path in found.items() if path is not None}


def _check_magic(path: Path, raw: bytes, expected: int) -> None:
    if len(raw) < 4:
        raise CorruptDataFileError(f"{path}: file too short to be IDX ({len(raw)} bytes)")
    magic = int.from_bytes(raw[:4], "big")
    if magic != expected:
        raise CorruptDataFileError(
            f"{path}: bad magic number 0x{magic:08X}, expected 0x{expected:08X} "
            f"({'uint8 images, 3 dims' if expected == IMAGE_MAGIC else 'uint8 labels, 1 dim'})"
        )


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise CorruptDataFileError(f"{path}: cannot be read or unzipped ({error})") from error


def read_idx(path: Path, *, images: bool) -> torch.Tensor:
    """Read one IDX image or label file (plain or ``.gz``) with torchvision's readers.

    Returns uint8 images ``(N, 28, 28)`` or int64 labels ``(N,)`` in ``0..9``.

    Raises:
        CorruptDataFileError: truncated, bad magic number, wrong shape or labels out of range;
            the message names ``path``.
    """
    from torchvision.datasets.mnist import read_image_file, read_label_file

    raw = _read_bytes(path)
    _check_magic(path, raw, IMAGE_MAGIC if images else LABEL_MAGIC)
    with tempfile.TemporaryDirectory(prefix="forgetless-idx-") as tmp:
        plain = Path(tmp) / "data.idx"
        plain.write_bytes(raw)
        reader = read_image_file if images else read_label_file
        try:
            tensor = reader(str(plain))
        except (AssertionError, KeyError, RuntimeError, TypeError, ValueError) as error:
            raise CorruptDataFileError(
                f"{path}: not a valid IDX file, truncated or padded ({error or 'bad header'})"
            ) from error
        tensor = tensor.clone()  # own the memory; the temporary file goes away
    if images and tuple(tensor.shape[1:]) != (IMAGE_SIDE, IMAGE_SIDE):
        raise CorruptDataFileError(
            f"{path}: images are {tuple(tensor.shape[1:])}, expected (28, 28)"
        )
    if not images and tensor.numel() and not 0 <= int(tensor.min()) <= int(tensor.max()) < 10:
        raise CorruptDataFileError(f"{path}: labels outside 0..9 ({int(tensor.max())} found)")
    return tensor


def read_idx_folder(files: dict[str, Path]) -> ImagesAndLabels:
    """Read the four files found by :func:`find_idx_files` and check images/labels agree."""
    tensors = {key: read_idx(path, images=key.endswith("images")) for key, path in files.items()}
    for split in ("train", "test"):
        n_images = tensors[f"{split}_images"].shape[0]
        n_labels = tensors[f"{split}_labels"].shape[0]
        if n_images != n_labels:
            raise CorruptDataFileError(
                f"{files[f'{split}_images']}: {n_images} images but "
                f"{files[f'{split}_labels']} has {n_labels} labels"
            )
    return ImagesAndLabels(**tensors)
