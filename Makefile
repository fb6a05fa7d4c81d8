# pmodesk — the two commands a newcomer needs are `make run` and `make test`.
# Both set everything up from nothing: Debian packages Qt and the tests need,
# the virtual environment from the lock file, and the package itself.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   ?= $(CURDIR)/build/demo.pmodesk

# Debian packages: Qt's xcb/offscreen platform needs these shared libraries;
# poppler-utils gives pdftotext/pdfinfo/pdftoppm for the board-pack tests;
# fonts-dejavu-core is the UI's fallback font; libreoffice-calc-nogui opens exported
# workbooks in a real spreadsheet program in the tests (libreoffice-impress-nogui converts the
# PowerPoint board pack); postgresql gives initdb/postgres for the team-mode tests, which start a
# throwaway server of their own (Debian's own cluster is left alone); xvfb lets `make run` show a window
# on a machine without a screen when asked to (xvfb-run make run).
DEBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
        libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
        libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 \
        poppler-utils fonts-dejavu-core sqlite3 libreoffice-calc-nogui libreoffice-impress-nogui \
        postgresql bc

.PHONY: run test soak bench setup debs clean installer installer-test

setup: debs $(STAMP)

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup
	$(BIN)/python -m pmodesk.launch "$(DEMO)"

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The crash and mutated-file tests at length: thousands of random kills mid-edit and many more
# mutated portfolio files than `make test` has time for.
SOAK_KILLS ?= 2000
SOAK_EXAMPLES ?= 2000
soak: setup
	PMODESK_SOAK_KILLS=$(SOAK_KILLS) PMODESK_SOAK_EXAMPLES=$(SOAK_EXAMPLES) QT_QPA_PLATFORM=offscreen \
	  $(BIN)/python -m pytest -q -s tests/store/test_random_kills.py tests/store/test_mutated_files.py

bench: setup
	$(BIN)/python bench/run.py

installer: setup
	bash installers/build_linux.sh

installer-test: installer
	bash installers/smoke_test.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache
