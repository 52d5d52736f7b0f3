# The two commands of the README's Quick start live here: `make compare` and `make test`.
# Both create a project-local virtual environment on first use and install what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# torch/torchvision pinned to the releases this machine serves from local disk (see README).
TORCH_SPEC ?= torch==2.14.1 torchvision==0.29.1
STAMP := $(VENV)/.forgetless-installed
# Avalanche writes ~/.avalanche on import; keep HOME writable and inside the checkout by default.
export HOME := $(if $(shell test -w "$$HOME" && echo ok),$(HOME),$(CURDIR)/.home)
export MPLBACKEND := Agg

.PHONY: install compare test lint unit kernels

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q $(TORCH_SPEC)
	$(PY) -m pip install -q -e ".[all,dev]"
	touch $(STAMP)

install: $(STAMP)

compare: install
	$(VENV)/bin/forgetless compare $(ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

unit: install
	$(PY) -m pytest -q tests --ignore=tests/kernels

kernels: install
	TRITON_INTERPRET=1 $(PY) -m pytest -q tests/kernels

test: lint unit kernels
