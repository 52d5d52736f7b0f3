"""Find functional activation calls (``F.relu(x)``, ``torch.relu(x)``, ``x.relu()``) in model code.

A static scan, used by :func:`swap_activations` where no forward is run: with
``functional=False`` (module swapping only) it refuses a model whose code calls a target as a
function, naming the class and the line, instead of silently leaving those activations in
place; without an example input it tells a model that only calls its activations from one with
nothing to swap. The scan reads the source of every user-defined class in the model (all of its
methods, comments and strings removed); it does not see aliases (``from torch.nn.functional
import relu``), which only the checked forward on an example input finds. Classes from torch
itself and Lightning's ``LightningModule`` base are not scanned; classes whose source is
unavailable (defined in an interactive session) cannot be scanned.
"""

from __future__ import annotations

import inspect
import io
import re
import textwrap
import tokenize

from torch import nn

# target class -> the name of its functional form in torch / torch.nn.functional / Tensor.
FUNCTIONAL_NAMES: dict[type[nn.Module], str] = {
    nn.ReLU: "relu",
    nn.ReLU6: "relu6",
    nn.LeakyReLU: "leaky_relu",
    nn.ELU: "elu",
    nn.CELU: "celu",
    nn.SELU: "selu",
    nn.GELU: "gelu",
    nn.SiLU: "silu",
    nn.Mish: "mish",
    nn.Hardswish: "hardswish",
    nn.Softplus: "softplus",
    nn.Tanh: "tanh",
    nn.Sigmoid: "sigmoid",
}

_SKIPPED_PREFIXES = (
    "torch.",
    "pytorch_lightning.core",
    "lightning.pytorch.core",
    "lightning.fabric",
)


def functional_names(targets: tuple[type[nn.Module], ...]) -> list[str]:
    """The functional names matching the target classes (empty for classes without one)."""
    names = []
    for cls, name in FUNCTIONAL_NAMES.items():
        if any(issubclass(target, cls) for target in targets) and name not in names:
            names.append(name)
    return names


def _patterns(name: str) -> list[re.Pattern[str]]:
    return [
        re.compile(rf"\b(?:F|functional|torch)\s*\.\s*{name}_?\s*\("),
        re.compile(rf"\.\s*{name}_?\s*\(\s*\)"),
    ]


def _code_lines(source: str) -> list[str]:
    """The source's lines with comments and string literals blanked out."""
    lines = source.splitlines()
    skip = {tokenize.COMMENT, tokenize.STRING}
    for kind in ("FSTRING_MIDDLE", "FSTRING_START", "FSTRING_END"):
        if hasattr(tokenize, kind):
            skip.add(getattr(tokenize, kind))
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return lines
    for token in reversed(tokens):
        if token.type not in skip:
            continue
        (row0, col0), (row1, col1) = token.start, token.end
        for row in range(row0, row1 + 1):
            line = lines[row - 1]
            start = col0 if row == row0 else 0
            end = col1 if row == row1 else len(line)
            lines[row - 1] = line[:start] + " " * (end - start) + line[end:]
    return lines


def _scanned_classes(model: nn.Module) -> list[type]:
    classes: list[type] = []
    for module in model.modules():
        for cls in type(module).__mro__:
            if cls is nn.Module or not issubclass(cls, nn.Module):
                break
            module_name = getattr(cls, "__module__", "") or ""
            if module_name.startswith(_SKIPPED_PREFIXES) or module_name.startswith(
                "forgetless.activations"
            ):
                continue
            if cls not in classes:
                classes.append(cls)
    return classes


def find_functional_call(model: nn.Module, names: list[str]) -> tuple[type, str, int, str] | None:
    """First (class, functional name, line number, code line) calling one of ``names``."""
    if not names:
        return None
    patterns = [(name, p) for name in names for p in _patterns(name)]
    for cls in _scanned_classes(model):
        try:
            source = textwrap.dedent(inspect.getsource(cls))
            first_line = inspect.getsourcelines(cls)[1]
        except (OSError, TypeError):
            continue
        for offset, line in enumerate(_code_lines(source)):
            for name, pattern in patterns:
                if pattern.search(line):
                    return cls, name, first_line + offset, line.strip()
    return None
