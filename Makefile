# Two entry points on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
# The bundled OpenVINO model beside the checkout when there is one; otherwise ultralytics' name.
MODEL ?= $(firstword $(wildcard $(CURDIR)/../shared/models/yolo11n_openvino_model) yolo11n.pt)
export CIVILITY_MODEL ?= $(MODEL)
export YOLO_CONFIG_DIR ?= $(CURDIR)/$(VENV)/ultralytics
export YOLO_OFFLINE ?= 1

.PHONY: demo test lock

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/civility demo

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest

# Re-resolve the pins after changing dependencies in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev,celery]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^traffic-civility' > requirements.lock
	rm -rf .lock-venv
