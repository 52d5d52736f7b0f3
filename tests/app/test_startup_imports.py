"""What the main process of ``forgetless compare`` imports before its first cell starts.

With ``launcher.jobs > 1`` or Ray the cells run elsewhere, so the main process must not pay for
torchvision, torchmetrics (and the scipy/matplotlib it pulls in), Avalanche or Lightning while it
validates the config and loads the data; matplotlib comes only when the plots are written.
Checked in a fresh interpreter by module names (``sys.modules``), not by time.
"""

from __future__ import annotations

from fresh_interpreter import packages_loaded_after

HEAVY = ("torchvision", "torchmetrics", "matplotlib", "scipy", "avalanche", "pytorch_lightning")


def heavy_modules_after(statement: str) -> list[str]:
    """The :data:`HEAVY` packages in ``sys.modules`` after ``statement``, in a new interpreter."""
    return packages_loaded_after(statement, HEAVY)


def test_the_command_line_module_imports_nothing_heavy():
    assert heavy_modules_after("import forgetless.app.cli") == []


def test_main_process_prepares_a_multi_worker_grid_without_heavy_imports():
    statement = (
        "from forgetless.app.configs import load_config, validate\n"
        "cfg = load_config(['launcher.jobs=2'])\n"
        "validate(cfg)\n"
        "import forgetless.app.run.compare, forgetless.app.run.launcher\n"
        "from forgetless.app.run.scenario_builder import build_scenarios\n"
        "scenarios = build_scenarios(cfg.scenario, list(cfg.seeds))\n"
        "from forgetless.metrics import learning_threshold, summarize\n"
        "import forgetless.report\n"
    )
    assert heavy_modules_after(statement) == []


def test_plots_and_the_accuracy_matrix_still_load_their_libraries_on_use():
    statement = (
        "from forgetless.metrics import AccuracyMatrix\n"
        "from forgetless.report.plots import pyplot\n"
        "pyplot()\n"
    )
    assert {"torchmetrics", "matplotlib"} <= set(heavy_modules_after(statement))
