import pytest

from forgetless.app.configs import ConfigError, available_presets, load_config, validate


def test_presets_are_shipped():
    assert {
        "split_mnist",
        "split_fashion_mnist",
        "permuted_mnist",
        "streaming",
        "hard_ash_recipe",
        "one_pass_best",
        "one_pass_ash",
    } <= set(available_presets())


@pytest.mark.parametrize("preset", available_presets())
def test_every_preset_validates(preset):
    cfg = load_config([f"preset={preset}"])
    validate(cfg)
    assert cfg.preset == preset


def test_overrides_apply_in_order_and_parse_lists():
    cfg = load_config(
        [
            "activations=[relu,hard_ash]",
            "seeds=[0,1,2]",
            "train.batch_size=8",
            "train.batch_size=16",
        ]
    )
    assert list(cfg.activations) == ["relu", "hard_ash"]
    assert list(cfg.seeds) == [0, 1, 2]
    assert cfg.train.batch_size == 16


def test_activation_params_are_free_form():
    cfg = load_config(["activation_params.elephant.a=0.5"])
    assert cfg.activation_params.elephant.a == 0.5


@pytest.mark.parametrize(
    "override, pattern",
    [
        (["nonsense=1"], r"^nonsense: unknown key"),
        (["train.bogus=1"], r"^train\.bogus: unknown key"),
        (["train.batch_size=abc"], r"^train\.batch_size: "),
        (["preset=nope"], r"^preset: expected one of \["),
        (["seeds"], r"^override 'seeds': expected key=value"),
        (["scenario.hidden=[1"], r"^scenario\.hidden"),
    ],
)
def test_load_errors_name_the_key(override, pattern):
    with pytest.raises(ConfigError, match=pattern) as info:
        load_config(override)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "override, pattern",
    [
        (["activations=[relu,swishy]"], r"^activations: expected one of \[.*'relu'.*got 'swishy'"),
        (["activations=[]"], r"^activations: expected a non-empty list"),
        (["activations=[relu,relu]"], r"^activations: expected distinct"),
        (["strategies=[naive,bogus]"], r"^strategies: expected one of"),
        (["rules=[magic]"], r"^rules: expected one of"),
        (["optimizer.lr=-1"], r"^optimizer\.lr: expected a finite number > 0"),
        (["optimizer.name=rmsprop"], r"^optimizer\.name: expected one of"),
        (["train.batch_size=0"], r"^train\.batch_size: expected an integer >= 1"),
        (["train.update_clip=0"], r"^train\.update_clip: expected a finite number > 0"),
        (["scenario.name=cifar"], r"^scenario\.name: expected one of"),
        (["scenario.n_experiences=3"], r"^scenario\.n_experiences: expected a divisor"),
        (["scenario.source=web"], r"^scenario\.source: expected one of"),
        (["model.kind=vit"], r"^model\.kind: expected one of"),
        (["model.hidden=[0]"], r"^model\.hidden: expected"),
        (["activation_params.elephant.d=0.5"], r"^activation_params\.elephant: .*\bd\b"),
        (["activation_params.foo.x=1"], r"^activation_params\.foo: unknown name"),
        (["strategy_params.ewc.lambda=3"], r"^strategy_params\.ewc: unknown \['lambda'\]"),
        (
            ["rules=[forward_forward]", "rule_params.forward_forward.negatives=easy"],
            r"^rule_params\.forward_forward: negatives must be one of",
        ),
        (["rule_params.noprop.T=0"], r"^rule_params\.noprop: T must be"),
        (["rule_params.mono_forward.depth=3"], r"^rule_params\.mono_forward: .*bad parameters"),
        (
            ["preset=streaming", "strategies=[ewc]"],
            r"^strategies \(streaming mode\): expected one of \['naive', 'continual_backprop', ",
        ),
    ],
)
def test_validation_errors_name_the_key(override, pattern):
    cfg = load_config(override)
    with pytest.raises(ConfigError, match=pattern) as info:
        validate(cfg)
    assert "\n" not in str(info.value)


def test_streaming_is_one_pass():
    cfg = load_config(["preset=streaming", "train.epochs=2"])
    with pytest.raises(
        ConfigError, match=r"^train\.epochs: streaming is one pass; expected 1, got 2$"
    ):
        validate(cfg)
