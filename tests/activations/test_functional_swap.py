"""swap_activations on what a model calls: every functional form, call-site modules, the report."""

import copy
import pickle

import pytest
import torch
import torch.nn.functional as F
import torch.nn.functional as nnf
from torch import nn
from torch.nn.functional import relu
from torch.overrides import _get_current_function_mode_stack

from forgetless.activations import TemperedSigmoid, get_activation, swap_activations
from forgetless.activations.swap import CALL_SITES_ATTRIBUTE


class EveryForm(nn.Module):
    """Calls relu in every way a model can, plus one held nn.ReLU."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 4)
        self.fc2 = nn.Linear(4, 3)
        self.act = nn.ReLU()

    def forward(self, x):
        h = F.relu(self.fc1(x)) + torch.relu(x) + x.relu() + relu(x) + nnf.relu(x)
        y = self.act(h)
        F.relu_(y)
        for _ in range(2):
            y = F.relu(y, inplace=True)
        return self.fc2(y)


def _every_form_reference(model: EveryForm, x: torch.Tensor) -> torch.Tensor:
    e = get_activation("elephant")  # the registry's defaults, as swapped in (stateless)
    h = e(model.fc1(x)) + e(x) + e(x) + e(x) + e(x)
    return model.fc2(e(e(e(e(h)))))


def test_every_functional_form_and_alias_is_swapped_in_place_semantics_kept():
    torch.manual_seed(0)
    model, x = EveryForm(), torch.randn(5, 4)
    before = model(x)
    report = swap_activations(model, "elephant", example_input=x)
    after = model(x)
    assert torch.allclose(after, _every_form_reference(model, x))
    assert not torch.allclose(after, before)
    assert report.modules == ("act",) and report.unused == () and report.checked
    functions = [site.function.rsplit(".", 1)[-1] for site in report.calls]
    assert functions == ["relu", "relu", "relu", "relu", "relu", "relu_", "relu", "relu"]
    assert {site.file for site in report.calls} == {__file__}
    assert all(site.calls == 2 for site in report.calls)  # train + eval pass of the check
    assert "8 call site(s)" in str(report) and f"{__file__}:" in str(report)
    assert len(getattr(model, CALL_SITES_ATTRIBUTE)) == 8


class AliasAndHeld(nn.Module):
    """Issue 12: a held nn.ReLU plus relu called through an alias; and a ReLU held but unused."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.act = nn.ReLU()
        self.spare = nn.ReLU()

    def forward(self, x):
        return nnf.relu(self.act(self.fc(x))) + relu(x)


def test_alias_calls_are_swapped_and_a_held_module_never_called_is_reported_unused():
    torch.manual_seed(0)
    model, x = AliasAndHeld(), torch.randn(4, 3)
    report = swap_activations(model, "elephant", example_input=x)
    elephant = get_activation("elephant")  # the registry's defaults, as swapped in (stateless)
    assert torch.allclose(model(x), elephant(elephant(model.fc(x))) + elephant(x))
    assert report.modules == ("act", "spare")
    assert report.unused == ("spare",)
    assert "unused (held, never called): spare" in str(report)


class NeverCalls(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.act = nn.ReLU()

    def forward(self, x):
        return torch.tanh(self.fc(x))


def test_a_swap_of_which_nothing_runs_is_refused_and_undone():
    model = NeverCalls()
    with pytest.raises(ValueError, match=r"nothing swapped runs .*\(act\) are never called"):
        swap_activations(model, "elephant", example_input=torch.randn(2, 3))
    assert isinstance(model.act, nn.ReLU) and not hasattr(model, CALL_SITES_ATTRIBUTE)
    assert model._forward_pre_hooks == {}  # hooks removed too


class Functional(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(3, 6)
        self.fc2 = nn.Linear(6, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def test_learnable_call_sites_are_trained_saved_and_restored():
    torch.manual_seed(0)
    x, y = torch.randn(8, 3), torch.randint(0, 2, (8,))
    model = Functional()
    swap_activations(model, "aglu", example_input=x[:2])
    site_params = [n for n, _ in model.named_parameters() if n.startswith(CALL_SITES_ATTRIBUTE)]
    assert len(site_params) == 2  # kappa, lam: they exist before the optimizer
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(3):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    site = next(iter(getattr(model, CALL_SITES_ATTRIBUTE).values()))
    assert site.kappa.grad is not None and site.kappa.item() != 1.0
    state = model.state_dict()
    # A fresh model swapped without an example gets its call sites from the state dict.
    fresh = Functional()
    swap_activations(fresh, "aglu")
    fresh.load_state_dict(state)
    assert torch.equal(fresh(x), model(x))
    # Without a state dict or an example, a learnable call site cannot appear silently.
    unchecked = Functional()
    swap_activations(unchecked, "aglu")
    with pytest.raises(RuntimeError, match=r"F.relu|relu at .*not met by the swap's checked"):
        unchecked(x)


class GeluBoth(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.act = nn.GELU()

    def forward(self, x):
        return F.gelu(x) + self.act(x)


def test_function_targets_swap_only_those_calls():
    x = torch.randn(3, 4)
    model = GeluBoth()
    report = swap_activations(model, "elephant", target=(F.gelu,), example_input=x)
    assert report.modules == () and isinstance(model.act, nn.GELU)
    assert [site.function for site in report.calls] == ["torch.nn.functional.gelu"]
    assert torch.allclose(model(x), get_activation("elephant")(x) + F.gelu(x))
    with pytest.raises(ValueError, match="target functions need functional=True"):
        swap_activations(GeluBoth(), "elephant", target=(F.gelu,), functional=False)


class TanhBoth(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.act = nn.Tanh()

    def forward(self, x):
        return torch.tanh(self.act(x))


def test_calls_made_by_forgetless_activations_are_not_swapped_again():
    # TemperedSigmoid computes with torch.tanh: neither the held site's nor the call site's
    # module may have its own torch.tanh intercepted (that would apply it twice, or recurse).
    x = torch.randn(3, 4)
    model = TanhBoth()
    swap_activations(model, "tempered_sigmoid", target=nn.Tanh, example_input=x)
    once = TemperedSigmoid()
    assert torch.allclose(model(x), once(once(x)))


class CompileForms(nn.Module):
    """A plain call, a method call and both in-place forms (dynamo treats torch.relu_ apart)."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        y = torch.relu(self.fc(x))
        F.relu_(y)
        return F.relu(y.relu(), inplace=True)


def test_compiled_forward_matches_eager_without_graph_breaks():
    torch.manual_seed(0)
    model, x = CompileForms(), torch.randn(5, 4)
    swap_activations(model, "aglu", example_input=x)
    eager = model(x)
    eager.sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    compiled = torch.compile(model, backend="aot_eager", fullgraph=True)
    out = compiled(x)
    out.sum().backward()
    assert torch.allclose(out, eager, atol=1e-6)
    for p, g in zip(model.parameters(), grads, strict=True):
        assert torch.allclose(p.grad, g, atol=1e-6)


class Raises(Functional):
    def forward(self, x):
        F.relu(x)
        raise KeyError("boom")


def test_an_exception_in_forward_leaves_no_mode_behind_and_copies_work():
    model = Functional()
    swap_activations(model, "elephant", example_input=torch.randn(2, 3))
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        x = torch.randn(2, 3)
        assert torch.equal(clone(x), model(x))
    failing = Raises()
    swap_activations(failing, "elephant")
    with pytest.raises(KeyError):
        failing(torch.randn(2, 3))
    assert _get_current_function_mode_stack() == []


def test_nothing_to_swap_without_an_example_fails_at_the_first_forward():
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    report = swap_activations(model, "elephant")  # calls can only be found by running
    assert report.modules == () and not report.checked
    with pytest.raises(ValueError, match=r"nothing swapped ran in Sequential's first forward"):
        model(torch.randn(1, 2))
    assert _get_current_function_mode_stack() == []
    model(torch.randn(1, 2))  # said once
    calling = Functional()
    swap_activations(calling, "elephant")
    calling(torch.randn(1, 3))  # a call site is met: no complaint
    assert len(getattr(calling, CALL_SITES_ATTRIBUTE)) == 1


def test_a_second_swap_is_refused():
    model = Functional()
    swap_activations(model, "elephant")
    with pytest.raises(ValueError, match="was swapped already"):
        swap_activations(model, "hard_ash")


def test_a_container_model_swaps_call_sites_without_parameters_only():
    x = torch.randn(2, 3)
    model = nn.Sequential(Functional(), nn.Linear(2, 2))
    report = swap_activations(model, "elephant", example_input=x)
    assert [site.module for site in report.calls] == ["0"]
    assert (
        len(model) == 2 and CALL_SITES_ATTRIBUTE not in model._modules
    )  # the Sequential runs 2 layers
    elephant = get_activation("elephant")
    assert torch.allclose(model(x), model[1](model[0].fc2(elephant(model[0].fc1(x)))))
    with pytest.raises(RuntimeError, match=r"cannot be registered on a container \(Sequential\)"):
        swap_activations(nn.Sequential(Functional()), "aglu", example_input=x)
