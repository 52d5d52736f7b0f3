"""The rule registry is derived from the entries the rule files declare, and misses none."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import torch

import forgetless.rules
from forgetless.models import MLP
from forgetless.rules import BACKPROP, RULES, Rule, build_rule, list_rules, recipe, rule_entry
from forgetless.rules.backprop import backprop_mlp

# What each recipe was before the entries moved into the rule files (numbers depend on them).
RECIPES_BEFORE = {
    "forward_forward": ({"recipe": "loewex", "negatives": "hard"}, "adam", 1e-3, 0.0, 150),
    "collaborative_ff": ({"recipe": "loewex", "negatives": "hard"}, "adam", 1e-3, 0.0, 150),
    "mono_forward": ({}, "adam", 1e-3, 0.0, 40),
    "noprop": ({"mask_unseen": True}, "adamw", 1e-3, 1e-3, 40),
    "noprop_ct": ({"weighting": "uniform"}, "adam", 1e-3, 0.0, 130),
    "noprop_fm": ({}, "adam", 1e-3, 0.0, 130),
}


def concrete_rules_in_package() -> dict[str, type[Rule]]:
    """Every non-abstract Rule subclass defined in a module of forgetless.rules."""
    found = {}
    for info in pkgutil.iter_modules(forgetless.rules.__path__):
        module = importlib.import_module(f"forgetless.rules.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Rule) and not inspect.isabstract(cls):
                if cls.__module__ == module.__name__:
                    found[module.__name__] = cls
    return found


def test_every_rule_file_declares_its_entry_and_the_registry_lists_it():
    defined = concrete_rules_in_package()
    assert len(defined) == len(RULES) == 7
    for module_name, cls in defined.items():
        entry = importlib.import_module(module_name).ENTRY
        assert entry.rule is cls, module_name
        assert RULES[entry.name] is entry
    assert list_rules() == sorted(RULES)


def test_every_recipe_is_complete_and_builds():
    for name, entry in RULES.items():
        if entry.recipe is None:
            continue
        assert set(entry.recipe.optimizer) == {"name", "lr", "weight_decay"}, name
        assert isinstance(entry.recipe.min_steps, int) and entry.recipe.min_steps >= 1, name
        build_rule(name, in_features=20, num_classes=3, hidden=(4,), **entry.recipe.params)


def test_recipes_are_exactly_what_they_were():
    assert rule_entry(BACKPROP).recipe is None
    assert recipe(BACKPROP).params == {} and recipe(BACKPROP).optimizer == {}
    assert set(RULES) - {BACKPROP} == set(RECIPES_BEFORE)
    for name, (params, optimizer, lr, decay, steps) in RECIPES_BEFORE.items():
        found = recipe(name)
        assert found.params == params, name
        assert found.optimizer == {"name": optimizer, "lr": lr, "weight_decay": decay}, name
        assert found.min_steps == steps, name


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(ValueError, match="rule: unknown name 'nope'; known: backprop"):
        recipe("nope")


def test_backprop_is_the_compare_paths_mlp_with_the_same_initial_weights():
    torch.manual_seed(3)
    plain = MLP(20, (8, 6), 4)
    torch.manual_seed(3)
    rule = build_rule(BACKPROP, in_features=20, num_classes=4, hidden=(8, 6), activation="apa")
    assert isinstance(rule.network, MLP)
    built = rule.network.state_dict()
    for name, weights in plain.state_dict().items():  # the linear layers; APA adds its own
        assert torch.equal(built[name], weights), name
    torch.manual_seed(3)
    relu = backprop_mlp(20, (8, 6), 4)
    x = torch.randn(5, 20)
    assert torch.equal(relu(x), plain(x))


def test_the_report_labels_backprop_by_the_rules_name():
    from forgetless.report.labels import BACKPROP as REPORT_BACKPROP

    assert REPORT_BACKPROP == BACKPROP
