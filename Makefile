# Geolith: the two quick-start commands (make demo, make test) and the benchmarks.
# Every target installs what it is missing, so both commands work on a fresh Debian 12 machine.

SWIFT       ?= swift
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libmodbus-dev libsqlite3-dev pkg-config socat python3 python3-venv
# Optional test peers: Debian's prometheus package brings promtool, which checks /metrics. If it cannot be
# installed, that one test says so and is skipped; nothing else depends on it.
APT_OPTIONAL := prometheus
PYTHON      ?= python3
# Independent Modbus peer for the interoperability tests (never a runtime dependency).
PEER_VENV   := .venv-peers
PEER_PY     := $(PEER_VENV)/bin/python

.PHONY: deps optional-deps peers build test demo bench bench-modbus bench-simulate bench-historian bench-monitor bench-model bench-sweep soak-monitor clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

peers:
	@[ -x $(PEER_PY) ] || $(PYTHON) -m venv $(PEER_VENV)
	@$(PEER_PY) -c 'import pymodbus' 2>/dev/null || $(PEER_PY) -m pip install -q 'pymodbus>=3.6,<4'

build: deps
	$(SWIFT) build

optional-deps:
	@missing=""; for p in $(APT_OPTIONAL); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing (optional):$$missing"; \
	  { $(SUDO) apt-get update -qq; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; } \
	    || echo "could not install$$missing: the promtool test will be skipped"; \
	fi

test: deps optional-deps peers
	# --no-parallel: the daemon tests measure real-time behaviour (scan rates, recovery bounds), and tests that wait
	# synchronously for child processes would otherwise starve them of the 2-core cooperative pool.
	GEOLITH_PEER_PYTHON=$(CURDIR)/$(PEER_PY) $(SWIFT) test --no-parallel

demo: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith demo

bench: bench-modbus bench-simulate bench-historian bench-monitor bench-model bench-sweep

bench-modbus: deps
	$(SWIFT) build -c release --product geolith
	$(MAKE) -C Benchmarks/modbus-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench modbus --c-peer $(CURDIR)/Benchmarks/modbus-c/build/modbus-c-bench

bench-simulate: deps
	$(SWIFT) build -c release --product geolith
	$(MAKE) -C Benchmarks/modbus-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench simulate --c-peer $(CURDIR)/Benchmarks/modbus-c/build/modbus-c-bench

clean:
	rm -rf .build $(PEER_VENV)

bench-historian: deps
	$(SWIFT) build -c release --product geolith
	$(MAKE) -C Benchmarks/sqlite-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench historian --c-peer $(CURDIR)/Benchmarks/sqlite-c/build/sqlite-c-bench

bench-monitor: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench monitor

bench-model: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench model PlantConfigs/rittershoffen.yaml

bench-sweep: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench sweep PlantConfigs/rittershoffen.yaml

# The hour-long soak of the monitor (RSS growth from minute 1 to the end).
soak-monitor: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith bench monitor --seconds 3600
