"""What ``forgetless presets | activations [--params] | rules | strategies`` print.

Each listing reads the registries themselves (presets folder, activation registry, rule table,
:mod:`forgetless.strategy_specs`), so it cannot drift from what ``compare`` accepts.
"""

from __future__ import annotations


def presets() -> list[str]:
    """One line per preset: its name and the first sentence of its YAML header comment."""
    from importlib import resources

    from forgetless.app.configs import available_presets

    folder = resources.files("forgetless.app.configs").joinpath("presets")
    lines = []
    for name in available_presets():
        header = []
        for line in folder.joinpath(f"{name}.yaml").read_text().splitlines():
            if not line.startswith("#"):
                break
            header.append(line.lstrip("#").strip())
        text = " ".join(header)
        sentence = text.split(". ")[0]
        if len(sentence) > 90:
            sentence = sentence[:87].rstrip() + "..."
        lines.append(f"{name:<22} {sentence}".rstrip())
    return lines


def activations(with_params: bool) -> list[str]:
    """Activation names; with ``with_params``, each parameter with its default and meaning."""
    from forgetless.activations import available_activations
    from forgetless.activations.registry import activation_parameters_help

    if not with_params:
        return available_activations()
    lines = []
    for name in available_activations():
        rows = activation_parameters_help(name)
        lines.append(name if rows else f"{name}  (no parameters)")
        for parameter, default, meaning in rows:
            lines.append(f"  {parameter} = {default}" + (f"  — {meaning}" if meaning else ""))
    return lines


def rules() -> list[str]:
    """Rule names with the first line of each rule's docstring."""
    from forgetless.rules import RULES

    lines = []
    for name in sorted(RULES):
        doc = (RULES[name].rule.__doc__ or "").strip().splitlines()
        lines.append(f"{name:<18} {doc[0] if doc else ''}".rstrip())
    return lines


def strategies() -> list[str]:
    """Strategy names with their default parameters (``strategy_params.<name>.<key>``)."""
    from forgetless.strategy_specs import STRATEGY_DEFAULTS

    lines = []
    for name, defaults in STRATEGY_DEFAULTS.items():
        shown = ", ".join(f"{key}={value!r}" for key, value in defaults.items()) or "no parameters"
        lines.append(f"{name:<8} {shown}")
    return lines
