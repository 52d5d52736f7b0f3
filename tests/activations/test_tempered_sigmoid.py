import pytest
import torch

from forgetless.activations import (
    TemperedSigmoid,
    tempered_sigmoid,
    tempered_sigmoid_reference,
)


def test_defaults_are_tanh_exactly():
    x = torch.linspace(-20, 20, 1001)
    assert torch.equal(TemperedSigmoid()(x), torch.tanh(x))
    assert torch.equal(tempered_sigmoid(x.double()), torch.tanh(x.double()))


def test_1_1_0_is_the_logistic_sigmoid():
    x = torch.linspace(-30, 30, 601, dtype=torch.float64)
    assert torch.allclose(tempered_sigmoid(x, 1.0, 1.0, 0.0), torch.sigmoid(x), atol=1e-15)


def test_matches_the_definition_for_other_parameters():
    x = torch.randn(50, dtype=torch.float64)
    s, T, o = 1.5, 0.7, 0.2
    assert torch.allclose(tempered_sigmoid(x, s, T, o), s * torch.sigmoid(T * x) - o)


def test_gradcheck():
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: tempered_sigmoid_reference(t, 3.0, 0.5, 1.2), (x,))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"s": 0.0}, "s must be a finite number > 0"),
        ({"T": -1.0}, "T must be a finite number > 0"),
        ({"o": float("inf")}, "o must be a finite real number"),
        ({"s": "2"}, "s must be a finite real number"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TemperedSigmoid(**kwargs)
    with pytest.raises(ValueError, match=match):
        tempered_sigmoid(torch.zeros(1), **kwargs)
