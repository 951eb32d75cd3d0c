# lam_robot: `make demo` and `make test` work on a fresh machine.
# Each install step is stamped, so re-running is fast; editing a
# requirements file re-runs its step.

VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
STAMPS  := $(VENV)/.stamps
APT_PKGS := espeak-ng sox
PYTEST_ARGS ?=

.PHONY: demo test install install-all apt-deps bench lint clean help

help:
	@echo "make demo   - install (first time) and run the default simulated demo headless"
	@echo "make test   - install everything and run the whole test suite"
	@echo "make bench  - run the benchmarks (tables printed, JSON in bench/results/)"

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q -U pip wheel setuptools

$(STAMPS)/core: requirements/core.txt requirements/ros.txt requirements/sim.txt requirements/test.txt setup.py | $(PY)
	@mkdir -p $(STAMPS)
	$(PIP) install -q -r requirements/core.txt -r requirements/ros.txt -r requirements/sim.txt -r requirements/test.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	@touch $@

$(STAMPS)/perception: requirements/perception.txt | $(STAMPS)/core
	$(PIP) install -q -r requirements/perception.txt
	@touch $@

$(STAMPS)/language: requirements/language.txt | $(STAMPS)/core
	@echo "installing language extras (llama-cpp-python compiles once, several minutes on 2 cores)"
	$(PIP) install -q -r requirements/language.txt
	@touch $@

install: $(STAMPS)/core

install-all: $(STAMPS)/core $(STAMPS)/perception $(STAMPS)/language apt-deps

apt-deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install-all
	$(VENV)/bin/lam-robot demo

test: install-all
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-all
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: install
	$(PY) -m flake8 lam_robot tests bench

clean:
	rm -rf build *.egg-info .pytest_cache
