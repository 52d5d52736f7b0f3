"""A resume uses only records it can trust: anything edited, moved or of another config is refused
in one line naming the file, before any cell runs, and the report is left as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from grid_helpers import run

from forgetless.app.cli import main
from forgetless.app.run.cell_integrity import seal

RELU = "cells/backprop__relu__naive__seed0.json"
ELEPHANT = "cells/backprop__elephant__naive__seed0.json"


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished two-cell run (relu and elephant, seed 0)."""
    root = tmp_path_factory.mktemp("finished")
    run(root, "done", "activations=[relu,elephant]", "seeds=[0]")
    return root / "done"


@pytest.fixture
def folder(finished, tmp_path) -> Path:
    """A copy of :func:`finished` to tamper with."""
    return Path(shutil.copytree(finished, tmp_path / "copy"))


def _edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps(change(data)))


def _refused(folder: Path, capsys, *extra: str) -> str:
    before = (folder / "results.json").read_bytes()
    assert main(["compare", f"resume={folder}", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("forgetless: error: resume: ") and "\n" not in err, err
    assert (folder / "results.json").read_bytes() == before  # nothing mixed, nothing rewritten
    return err


def _flip_acc(record: dict) -> dict:
    return {**record, "acc": round(record["acc"] - 0.1, 3)}


def _rename_key(record: dict) -> dict:
    record["accuracy"] = record.pop("acc")
    return record


@pytest.mark.parametrize(
    "change",
    [
        _flip_acc,
        lambda r: {**r, "seed": 1},
        _rename_key,
        lambda r: {**r, "accuracy_matrix": [r["accuracy_matrix"][0][:1], r["accuracy_matrix"][1]]},
    ],
    ids=["edited-value", "changed-seed", "renamed-key", "wrong-length-row"],
)
def test_edited_record_is_refused_naming_the_file(folder, capsys, change):
    _edit_json(folder / RELU, change)
    err = _refused(folder, capsys)
    assert f"{folder / RELU}: checksum mismatch" in err


@pytest.mark.parametrize("content", ["null", "[1, 2]", "{not json"])
def test_record_that_is_not_an_object_is_refused(folder, capsys, content):
    (folder / RELU).write_text(content)
    assert str(folder / RELU) in _refused(folder, capsys)


def test_another_cells_record_is_refused(folder, capsys):
    shutil.copy(folder / RELU, folder / ELEPHANT)
    assert f"{folder / ELEPHANT} holds another cell's record (activation" in _refused(
        folder, capsys
    )


def test_sealed_record_with_a_short_row_is_refused(folder, capsys):
    def short(record):
        record = {k: v for k, v in record.items() if k != "checksum"}
        record["accuracy_matrix"] = [record["accuracy_matrix"][0][:1], [0.5, 0.5]]
        return seal(record, record["config_hash"])

    _edit_json(folder / RELU, short)
    assert "accuracy_matrix is not 2x2" in _refused(folder, capsys)


@pytest.mark.parametrize(
    "old, new", [("epochs: 2", "epochs: 3"), ("lr: 0.05", "lr: 0.1"), ("- 0\n", "- 7\n")]
)
def test_edited_config_is_refused(folder, capsys, old, new):
    text = (folder / "config.yaml").read_text()
    assert old in text
    (folder / "config.yaml").write_text(text.replace(old, new, 1))
    assert "was config.yaml edited?" in _refused(folder, capsys)


def test_empty_config_and_missing_cells_are_refused(folder, capsys):
    shutil.rmtree(folder / "cells")
    assert f"{folder / 'cells'} not found" in _refused(folder, capsys)
    (folder / "config.yaml").write_text("")
    assert "config.yaml: no keys" in _refused(folder, capsys)


def test_resuming_a_finished_run_keeps_its_report(folder, capsys):
    before = (folder / "results.json").read_bytes()
    assert main(["compare", f"resume={folder}", "launcher.threads=2"]) == 0
    assert "is finished" in capsys.readouterr().out
    assert (folder / "results.json").read_bytes() == before  # wall_seconds and threads kept


def test_resumed_cells_keep_their_thread_count(tmp_path):
    first = run(tmp_path, "r", "activations=[relu,elephant]", "seeds=[0]")
    folder = tmp_path / "r"
    (folder / ELEPHANT).unlink()
    (folder / "results.json").unlink()
    assert main(["compare", f"resume={folder}", "launcher.threads=2"]) == 0
    again = json.loads((folder / "results.json").read_text())
    assert again["environment"]["torch_threads"] == [1, 2]
    assert again["cells"][0]["train_seconds"] == first["cells"][0]["train_seconds"]
