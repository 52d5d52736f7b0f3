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
from collections.abc import Sequence
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


IDENTIFIED = ("ActivationSwap", "RuleCallback")  # callbacks that change what the model is


def _saved_state(checkpoint: dict[str, Any], name: str) -> dict[str, Any] | None:
    for key, state in checkpoint["callbacks"].items():
        if isinstance(key, str) and key.split("[")[0] == name and isinstance(state, dict):
            return state
    return None


def check_callbacks(
    path: str | os.PathLike, checkpoint: dict[str, Any], callbacks: Sequence[Any]
) -> None:
    """Raise :class:`CheckpointError` unless the checkpoint was made with the same
    ``ActivationSwap`` / ``RuleCallback`` (or without them) as ``callbacks``.

    Args:
        path: the checkpoint file, named in the message.
        checkpoint: its contents (:func:`read_checkpoint`).
        callbacks: this run's Trainer callbacks.
    """
    for name in IDENTIFIED:
        saved = _saved_state(checkpoint, name)
        mine = next((c for c in callbacks if type(c).__name__ == name), None)
        if saved is None and mine is None:
            continue
        if mine is None:
            raise CheckpointError(
                f"{path}: made with {name} {_described(saved)}, this run has no {name}; add it "
                "with the same arguments or use another checkpoint folder"
            )
        if saved is None:
            raise CheckpointError(
                f"{path}: made without {name}, this run has {name} {_described(mine.identity())}; "
                "use another checkpoint folder"
            )
        for key, value in mine.identity().items():
            if saved.get(key) != value:
                raise CheckpointError(
                    f"{path}: {name} {key} is {saved.get(key)!r} in the checkpoint but {value!r} "
                    "in this run; use the checkpoint's arguments or another checkpoint folder"
                )


def _described(state: dict[str, Any]) -> str:
    first = state.get("name", state.get("rule"))
    return repr(first) if first is not None else "(state unreadable)"


def check_model(
    path: str | os.PathLike, checkpoint: dict[str, Any], model: torch.nn.Module
) -> None:
    """Raise :class:`CheckpointError` if the checkpoint's stream record names another model class."""
    record = next((v for k, v in checkpoint.items() if k == ContinualDataModule.__qualname__), None)
    saved = record.get("model") if isinstance(record, dict) else None
    if saved is not None and saved != type(model).__qualname__:
        raise CheckpointError(
            f"{path}: made by model {saved}, this run trains {type(model).__qualname__}; use "
            "another checkpoint folder"
        )
