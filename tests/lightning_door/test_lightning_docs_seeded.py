"""The docs/lightning.md continual snippet is seeded: two runs print the same numbers."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "lightning.md"


def _snippet() -> str:
    blocks = re.findall(r"```python\n(.*?)\n```", DOC.read_text(), re.S)
    (code,) = [b for b in blocks if "fit_continual(" in b and "checkpoint_dir=" in b]
    shorter = {  # the same code with fewer experiences, no plots and no log files
        "n_experiences=5": "n_experiences=2",
        'plot_dir="runs/plots"': "plot_dir=None",
        'logger=[pl.loggers.CSVLogger("runs"), pl.loggers.TensorBoardLogger("runs")]': "logger=False",
    }
    for old, new in shorter.items():
        assert old in code, old
        code = code.replace(old, new)
    return code


def test_the_continual_snippet_prints_the_same_numbers_twice(tmp_path, monkeypatch, capsys):
    code = _snippet()
    printed = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        monkeypatch.chdir(folder)  # a fresh checkpoint_dir: the second run does not resume
        exec(compile(code, str(DOC), "exec"), {"__name__": "__main__"})
        printed.append(capsys.readouterr().out)
    assert "'acc'" in printed[0] and printed[0] == printed[1]
