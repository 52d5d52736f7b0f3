import dataclasses

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from forgetless.activations import AGLU, HardASH, LearnableElephant, swap_activations


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.fc(x))


class Deep(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
        self.blocks = nn.ModuleList([Block(), Block()])
        self.heads = nn.ModuleDict({"main": nn.Sequential(nn.ReLU(), nn.Linear(4, 2))})
        self.gate = nn.GELU()

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.gate(self.heads["main"](x))


def test_replaces_at_every_depth_and_container_and_returns_qualified_names():
    model = Deep()
    names = swap_activations(model, "hard_ash").modules
    assert names == ("stem.1", "blocks.0.act", "blocks.1.act", "heads.main.0")
    assert not any(isinstance(m, nn.ReLU) for m in model.modules())
    assert sum(isinstance(m, HardASH) for m in model.modules()) == 4
    assert isinstance(model.gate, nn.GELU)  # not a target
    assert model(torch.randn(5, 3)).shape == (5, 2)


def test_custom_target_classes_and_factories_with_params():
    model = Deep()
    names = swap_activations(model, AGLU, target=(nn.ReLU, nn.GELU), kappa=1.5).modules
    assert names[-1] == "gate" and len(names) == 5
    assert all(m.kappa.item() == 1.5 for m in model.modules() if isinstance(m, AGLU))
    # a single class (not a tuple) works too
    model = Deep()
    assert swap_activations(model, "tanh", target=nn.GELU).modules == ("gate",)


def test_each_site_gets_separate_parameters_even_for_a_shared_module():
    shared = nn.ReLU()
    model = nn.Sequential(nn.Linear(2, 3), shared, nn.Linear(3, 3), shared)
    names = swap_activations(model, "aglu").modules
    assert names == ("1", "3")
    assert model[1] is not model[3]
    assert model[1].kappa is not model[3].kappa
    params = list(model.parameters())
    assert len({id(p) for p in params}) == len(params) == 4 + 4


def test_lazy_sizes_are_inferred_from_the_preceding_layer_before_any_forward():
    model = nn.Sequential(
        nn.Conv2d(1, 6, 3),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Flatten(),
        nn.ReLU(),
        nn.Linear(6 * 4 * 4, 10),
        nn.Dropout(),
        nn.ReLU(),
    )
    swap_activations(model, "learnable_elephant")
    assert model[1].num_units == 6
    assert model[4].num_units is None  # Flatten changes the shape: left to the first forward
    assert model[7].num_units == 10
    model[4](torch.randn(2, 96))
    assert model[4].num_units == 96
    torch.optim.SGD(model.parameters(), lr=0.1)  # every parameter exists
    assert model(torch.randn(2, 1, 6, 6)).shape == (2, 10)


def test_per_channel_apa_via_registry_is_sized_and_trainable():
    model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
    swap_activations(model, "apa", num_parameters=None)
    assert model[1].kappa.shape == (8,)
    model(torch.randn(4, 3)).sum().backward()
    assert model[1].lam.grad.shape == (8,)


def test_swapped_learnable_elephant_outside_sequential_materialises_on_first_forward():
    model = Block()
    swap_activations(model, "learnable_elephant")
    assert isinstance(model.act, LearnableElephant) and model.act.num_units is None
    model(torch.randn(2, 4))
    assert model.act.num_units == 4


class FunctionalNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        # nn.ReLU would be swappable; this is not
        return self.fc2(F.relu(self.fc1(x)))


class MethodReluNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.fc(x)).relu()


class CommentOnlyNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.relu = nn.ReLU()

    def forward(self, x):
        """Unlike torch.relu(x), this holds a module."""
        # F.relu(x) would not be swappable
        return self.relu(x)


def test_functional_false_refuses_a_functional_relu_met_by_the_checked_forward():
    x = torch.randn(2, 3)
    with pytest.raises(ValueError, match=r"FunctionalNet .*calls relu as a function.*nn\.ReLU"):
        swap_activations(FunctionalNet(), "elephant", functional=False, example_input=x)
    model = MethodReluNet()
    with pytest.raises(ValueError, match=r"MethodReluNet \(torch\.Tensor\.relu at .*test_swap"):
        swap_activations(model, "elephant", functional=False, example_input=x)
    assert isinstance(model.act, nn.ReLU)  # refused, and undone
    assert not hasattr(model, "forgetless_functional_sites") and model._forward_hooks == {}
    assert isinstance(swap_activations(model, "elephant", example_input=x).modules, tuple)


def test_functional_false_without_an_example_swaps_held_modules_and_says_calls_are_not():
    model = MethodReluNet()
    report = swap_activations(model, "elephant", functional=False)
    assert report.modules == ("act",) and not report.checked
    assert "functional=False: calls such as F.relu(x) are not swapped" in report.summary()
    assert not hasattr(model, "forgetless_functional_sites")
    with pytest.raises(ValueError, match=r"no submodule of type ReLU in FunctionalNet .*only held"):
        swap_activations(FunctionalNet(), "elephant", functional=False)


def test_comments_strings_and_module_attributes_named_relu_are_not_functional_calls():
    model = CommentOnlyNet()
    report = swap_activations(model, "elephant", functional=False, example_input=torch.randn(2, 3))
    assert report.modules == ("relu",) and report.checked and report.unused == ()


def test_lightning_demo_models_using_functional_relu_are_refused_with_functional_false():
    from pytorch_lightning.demos.boring_classes import DemoModel, Net

    for model, x in ((Net(), torch.randn(2, 1, 28, 28)), (DemoModel(), torch.randn(2, 32))):
        with pytest.raises(ValueError, match="calls relu as a function"):
            swap_activations(model, "hard_ash", functional=False, example_input=x)


def test_functional_calls_of_other_targets_only_matter_for_those_targets():
    class UsesTanh(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.act = nn.ReLU()

        def forward(self, x):
            return torch.tanh(self.act(x))

    x = torch.randn(2, 3)
    report = swap_activations(UsesTanh(), "elephant", functional=False, example_input=x)
    assert report.modules == ("act",)
    with pytest.raises(ValueError, match="calls tanh as a function"):
        swap_activations(
            UsesTanh(), "elephant", target=(nn.Tanh, nn.ReLU), functional=False, example_input=x
        )


def test_nothing_to_replace_says_what_was_searched():
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    with pytest.raises(ValueError, match=r"no submodule of type ReLU in Sequential \(searched 3"):
        swap_activations(model, "elephant", functional=False)
    with pytest.raises(ValueError, match="no submodule of type GELU, SiLU"):
        swap_activations(model, "elephant", target=(nn.GELU, nn.SiLU), functional=False)
    with pytest.raises(ValueError, match=r"nothing swapped runs .*no submodule of type ReLU"):
        swap_activations(model, "elephant", example_input=torch.randn(2, 2))
    assert isinstance(model[1], nn.Tanh) and not hasattr(model, "forgetless_functional_sites")


@pytest.mark.parametrize(
    ("to", "kwargs", "match"),
    [
        ("nope", {}, "unknown activation 'nope'"),
        ("elephant", {"d": 0.1}, "d must be a finite number >= 1"),
        (nn.ReLU(), {}, "not a module instance"),
        (3, {}, "must be a registry name or a callable"),
        ("elephant", {"target": "relu"}, "target must be nn.Module subclasses"),
        ("elephant", {"functional": "yes"}, "functional must be True or False"),
    ],
)
def test_bad_arguments(to, kwargs, match):
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    with pytest.raises(ValueError, match=match):
        swap_activations(model, to, **kwargs)
    assert isinstance(model[1], nn.ReLU)


def test_the_model_itself_cannot_be_the_target():
    with pytest.raises(ValueError, match="the model itself is a ReLU"):
        swap_activations(nn.ReLU(), "elephant")


def test_the_report_is_a_frozen_record_not_a_list():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2), nn.ReLU())
    report = swap_activations(model, "elephant", functional=False)
    assert report.modules == ("1", "3") and report.calls == () and report.call_keys == ()
    assert report.unchecked_reason == "no example input"
    assert str(report) == report.summary() and report.summary().startswith(
        "forgetless swap to elephant: 2 held module(s), 0 call site(s) (no checked forward"
    )
    with pytest.raises(TypeError):
        len(report)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.modules = ()


class NoForward(nn.Module):
    """Calls its layers from elsewhere (a LightningModule's training_step) and has no forward."""

    def __init__(self, act: type[nn.Module] = nn.ReLU) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 4), act())


def test_a_model_without_forward_is_swapped_unchecked():
    model = NoForward()
    report = swap_activations(model, "aglu", example_input=torch.randn(2, 3))
    assert report.modules == ("net.1",) and not report.checked
    assert report.unchecked_reason == "NoForward has no forward"
    assert isinstance(model.net[1], AGLU) and model.net[1].training
    with pytest.raises(ValueError, match="no submodule of type ReLU in NoForward .*only held"):
        swap_activations(NoForward(nn.Tanh), "aglu", functional=False, example_input=torch.randn(2))
