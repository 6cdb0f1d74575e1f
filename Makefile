# Set-up and entry points. `make run` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
CORES ?= 8

.PHONY: run study test lint report bench peers bench-peers system-deps

# torch goes first and pinned: an unpinned torch requirement would make pip
# fetch the multi-GB CUDA build instead of the CPU wheel.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/snakemake --cores $(CORES)

# The paper's claims checked (docs/results.md) from the committed tables,
# without training; STUDY_CONFIG adds overrides.
study: $(VENV)/.installed
	$(VENV)/bin/snakemake --cores $(CORES) study $(if $(STUDY_CONFIG),--configfile $(STUDY_CONFIG))

report: $(VENV)/.installed
	$(VENV)/bin/snakemake --report report.html

# The report test renders the page in Debian's Chromium; the SLURM tests
# install and start a local cluster themselves (../shared/slurm).
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium chromium-driver; }

test: $(VENV)/.installed system-deps
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/snakemake --lint
	$(VENV)/bin/snakefmt --check Snakefile workflow/rules/*.smk

bench: $(VENV)/.installed
	$(PY) bench/bench_training_step.py

# The peer simulators of bench/bench_peers.py, in a venv of their own
# (bench/README.md): the [peers] extra, then TorchQuantum and torchpack
# without their declared dependencies, which would replace the CPU torch.
PEERS_VENV ?= .venv-peers

$(PEERS_VENV)/.installed: pyproject.toml
	python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PEERS_VENV)/bin/python -m pip install --quiet torch==2.13.0
	$(PEERS_VENV)/bin/python -m pip install --quiet -e '.[peers]'
	$(PEERS_VENV)/bin/python -m pip install --quiet --no-deps torchquantum==0.1.8 torchpack==0.3.1
	touch $@

peers: $(PEERS_VENV)/.installed

bench-peers: $(PEERS_VENV)/.installed
	$(PEERS_VENV)/bin/python bench/bench_peers.py
