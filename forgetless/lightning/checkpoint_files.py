"""Open a continual run's checkpoint safely and say exactly what is wrong with a bad one.

:func:`read_checkpoint` first verifies the archive's integrity (a torch checkpoint is a zip
archive holding a CRC-32 of every member; a member whose bytes no longer match it, e.g. weights
overwritten on disk, is refused instead of loading silently), then loads with
``torch.load(weights_only=True)`` (no arbitrary pickles) and checks the entries a resumable continual checkpoint must have; :func:`check_stream` compares its
stream record (see ``ContinualDataModule.stream_record``) with the current run. Every error is a
:class:`CheckpointError` whose message starts with the file's path.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

import torch

from forgetless.lightning.datamodule import ContinualDataModule, stream_mismatch

REQUIRED = ("state_dict", "loops", "callbacks", "optimizer_states")


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or was made by another run."""


def verify_archive(path: str | os.PathLike) -> None:
    """Raise :class:`CheckpointError` if ``path`` is a zip archive (torch's checkpoint format)
    with a member whose bytes fail its CRC-32; a file that is not a zip archive is left to
    ``torch.load``, which refuses it."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, ValueError) as err:
        raise CheckpointError(f"{path}: corrupt checkpoint archive ({err})") from err
    if bad is not None:
        raise CheckpointError(
            f"{path}: corrupt checkpoint: {bad} does not match its CRC-32 checksum (the file "
            "was changed or damaged after it was saved); resume from another checkpoint"
        )


def read_checkpoint(path: str | os.PathLike) -> dict[str, Any]:
    """The checkpoint at ``path``, loaded with ``weights_only=True`` onto the CPU."""
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a checkpoint file" if path.is_dir() else "no such checkpoint file"
        raise CheckpointError(f"{path}: {what}")
    verify_archive(path)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises several types for truncated / foreign files
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CheckpointError(
            f"{path}: not a readable checkpoint (corrupt, truncated or not saved by "
            f"Lightning/torch; torch.load(weights_only=True) said: {first})"
        ) from err
    if not isinstance(checkpoint, dict):
        raise CheckpointError(
            f"{path}: expected a checkpoint dict, got {type(checkpoint).__name__}"
        )
    missing = [key for key in REQUIRED if key not in checkpoint]
    if missing:
        raise CheckpointError(
            f"{path}: missing {', '.join(missing)}; not a full Lightning training checkpoint "
            "(was it saved with weights_only=True?)"
        )
    return checkpoint


def check_stream(
    path: str | os.PathLike, checkpoint: dict[str, Any], datamodule: ContinualDataModule
) -> None:
    """Raise :class:`CheckpointError` if ``checkpoint`` was made on another stream."""
    record = checkpoint.get(type(datamodule).__qualname__)
    if not isinstance(record, dict):
        raise CheckpointError(
            f"{path}: has no {type(datamodule).__qualname__} stream record; it was not made by a "
            "continual run"
        )
    mismatch = stream_mismatch(record, datamodule.stream_record())
    if mismatch:
        raise CheckpointError(f"{path}: {mismatch}")


def check_weights(
    path: str | os.PathLike, checkpoint: dict[str, Any], model: torch.nn.Module
) -> None:
    """Raise :class:`CheckpointError` naming the first parameters that differ in name or shape."""
    saved = checkpoint["state_dict"]
    current = model.state_dict()
    missing = sorted(set(current) - set(saved))
    unexpected = sorted(set(saved) - set(current))
    if missing or unexpected:
        raise CheckpointError(
            f"{path}: model weights do not match this model: missing {missing[:5]}, unexpected "
            f"{unexpected[:5]} (same ActivationSwap / RuleCallback as the saved run?)"
        )
    for key, tensor in current.items():
        if tuple(saved[key].shape) != tuple(tensor.shape):
            raise CheckpointError(
                f"{path}: {key} has shape {tuple(saved[key].shape)} in the checkpoint but "
                f"{tuple(tensor.shape)} in this model"
            )
