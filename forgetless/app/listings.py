"""What ``forgetless presets | activations [--params] | rules | scenarios | strategies
[--params]`` print.

Each listing reads the registries themselves (presets folder, activation registry, rule table,
:mod:`forgetless.scenario_specs`, :mod:`forgetless.strategy_specs`), so it cannot drift from what
``compare`` accepts.
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


def scenarios() -> list[str]:
    """Scenario names with their kind, classes, input shape, default experiences and sources."""
    from forgetless.scenario_specs import SCENARIOS

    lines = []
    for name, spec in SCENARIOS.items():
        shape = "x".join(map(str, spec.input_shape))
        lines.append(
            f"{name:<20} {spec.kind}, {spec.num_classes} classes, {shape}, "
            f"{spec.default_experiences} experiences by default; source: {', '.join(spec.sources)}"
        )
    return lines


def strategies(with_params: bool = False) -> list[str]:
    """Strategy names with their default parameters (``strategy_params.<name>.<key>``); with
    ``with_params``, each entry's paper and each parameter with its default, meaning and range
    (all from :data:`forgetless.strategy_specs.STRATEGIES`); an entry that cannot run here
    says why."""
    from forgetless.strategy_specs import STRATEGIES

    lines = []
    for name, spec in STRATEGIES.items():
        refused = f"  cannot run here: {spec.refusal}" if spec.refusal else ""
        if with_params:
            lines.append((f"{name}  ({spec.paper})" if spec.paper else name) + refused)
            lines.extend(
                f"  {key} = {param.default!r}  — {param.meaning}; {param.describe()}"
                for key, param in spec.params.items()
            )
            continue
        defaults = spec.defaults
        shown = ", ".join(f"{key}={value!r}" for key, value in defaults.items()) or "no parameters"
        lines.append(f"{name:<18} {shown}{refused}")
    return lines
