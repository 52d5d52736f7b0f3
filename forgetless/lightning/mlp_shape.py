"""Read the widths of an MLP made of ``nn.Linear`` layers (for :class:`RuleCallback`)."""

from __future__ import annotations

from torch import nn

_NOT_MLP = (nn.modules.conv._ConvNd, nn.RNNBase, nn.MultiheadAttention, nn.Embedding)


def mlp_widths(network: nn.Module, where: str) -> tuple[int, tuple[int, ...], int]:
    """``(in_features, hidden widths, num_classes)`` of ``network``'s chain of ``nn.Linear``s.

    Raises ``ValueError`` (naming ``where``) for a network with another kind of weight layer,
    fewer than two Linear layers, or Linear layers that do not chain (out of one = in of next).
    """
    for name, module in network.named_modules():
        if isinstance(module, _NOT_MLP):
            raise ValueError(
                f"RuleCallback: {where} holds a {type(module).__name__} at {name!r}; the rules "
                "train MLPs of nn.Linear layers; pass in_features=, hidden=, num_classes="
            )
    linears = [m for m in network.modules() if isinstance(m, nn.Linear)]
    if len(linears) < 2:
        raise ValueError(
            f"RuleCallback: {where} has {len(linears)} nn.Linear layer(s); expected an MLP with "
            "at least one hidden layer, or pass in_features=, hidden=, num_classes="
        )
    for first, second in zip(linears, linears[1:], strict=False):
        if first.out_features != second.in_features:
            raise ValueError(
                f"RuleCallback: {where}'s Linear layers do not chain ({first.out_features} "
                f"outputs feed {second.in_features} inputs); pass in_features=, hidden=, num_classes="
            )
    hidden = tuple(m.out_features for m in linears[:-1])
    return linears[0].in_features, hidden, linears[-1].out_features
