# Geolith: the two quick-start commands (make demo, make test) and the benchmarks.
# Every target installs what it is missing, so both commands work on a fresh Debian 12 machine.

SWIFT       ?= swift
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libmodbus-dev libsqlite3-dev pkg-config socat python3 python3-venv
# Optional test peers: Debian's prometheus package brings promtool, which checks /metrics, and the Prometheus
# server, which a test starts to scrape a live monitor. If it cannot be installed, those tests say so and are
# skipped; nothing else depends on it.
APT_OPTIONAL := prometheus
# The dashboard's browser test: Debian's Chromium and its WebDriver (selenium drives them from the peer venv).
# Required by `make test` (CI must run that test); `make test-browser` runs only it.
APT_BROWSER := chromium chromium-driver
# The HTTP benchmark's load generator (`make test` runs the benchmark once, small, to check it works).
APT_BENCH_HTTP := wrk
# The PostgreSQL historian's tests and benchmarks run a private cluster of Debian's server (initdb in a temporary
# folder, a free port on 127.0.0.1, removed at the end): Tests/Peers/postgres-cluster.sh. Required by `make test`.
APT_POSTGRES := postgresql
PYTHON      ?= python3
# Independent Modbus peer for the interoperability tests (never a runtime dependency).
PEER_VENV   := .venv-peers
PEER_PY     := $(PEER_VENV)/bin/python

.PHONY: deps optional-deps browser-deps bench-http-deps postgres-deps peers build test test-browser demo bench bench-modbus \
	bench-simulate bench-historian bench-monitor bench-model bench-sweep bench-replay bench-http bench-postgres soak-monitor \
	fuzz soak-hostile layers clean

# Installs the Debian packages named in $(1) that are missing (apt-get, through sudo when not root), with the
# apt-get options $(2).
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(2) $$missing; \
	fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))

browser-deps:
	$(call apt_install,$(APT_BROWSER),--no-install-recommends)

bench-http-deps:
	$(call apt_install,$(APT_BENCH_HTTP),--no-install-recommends)

postgres-deps:
	$(call apt_install,$(APT_POSTGRES),--no-install-recommends)

peers:
	@[ -x $(PEER_PY) ] || $(PYTHON) -m venv $(PEER_VENV)
	@$(PEER_PY) -c 'import pymodbus' 2>/dev/null || $(PEER_PY) -m pip install -q 'pymodbus>=3.6,<4'
	@$(PEER_PY) -c 'import selenium' 2>/dev/null || $(PEER_PY) -m pip install -q 'selenium>=4.20,<5'

build: deps
	$(SWIFT) build

optional-deps:
	@missing=""; for p in $(APT_OPTIONAL); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing (optional):$$missing"; \
	  { $(SUDO) apt-get update -qq; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; } \
	    || echo "could not install$$missing: the promtool and Prometheus scrape tests will be skipped"; \
	fi

# The suites that still take real time, run after the others, one at a time: the Modbus clients' socket timeouts,
# the simulator run in real time (ReplayLiveTests), the live HTTP and daemon rigs whose answers have deadlines, the
# loopback runs on a manual clock whose I/O still takes real time, and the benchmarks' own tests (overruns, CPU and
# probe figures). On the 2-core cooperative pool they would starve each other. Everything else runs in parallel.
# `SerialSuitesTests` checks that every name here is a suite; a suite left out of the list still runs (in parallel).
SERIAL_SUITES := ClientServerTests HostileServerTests ServerLimitsTests DeviceHealthTests MonitorIntegrationTests \
  ReplayLiveTests ReplayEqualsLiveTests HostileScenarioTests PrometheusScrapeTests MetricsExpositionTests HTTPLimitsTests \
  FleetHostileTests SimulatorDescriptorTests BenchHostileTests BenchMonitorTests BenchHTTPTests ModbusErrorTextTests \
  RTUTests ScenarioEffectTests SimulatorServingTests SimulatorRTUAndTearingTests HostileDeviceTests
empty :=
space := $(empty) $(empty)
SERIAL_REGEX := \.($(subst $(space),|,$(strip $(SERIAL_SUITES))))/
# GEOLITH_REQUIRE_BROWSER=1: a missing Chromium fails the dashboard's browser test instead of skipping it.
# GEOLITH_REQUIRE_POSTGRES=1: a missing PostgreSQL fails the historian's server half instead of skipping it.
TEST_ENV := GEOLITH_PEER_PYTHON=$(CURDIR)/$(PEER_PY) GEOLITH_REQUIRE_BROWSER=1 GEOLITH_REQUIRE_POSTGRES=1

test: deps optional-deps browser-deps bench-http-deps postgres-deps peers
	$(TEST_ENV) $(SWIFT) test --parallel --skip '$(SERIAL_REGEX)'
	$(TEST_ENV) $(SWIFT) test --no-parallel --filter '$(SERIAL_REGEX)'

# The layers (issue 18): the manifest evaluated with GEOLITH_LAYERS=without-modbus keeps only the targets that must
# not reach libmodbus (Package.swift's `withoutModbus`), with no CModbus or Modbus target, so a dependency on either
# stops the build. Their tests run from that build, whose test binary must not load libmodbus; and no module declares
# a type of its own name. Own scratch path: the normal .build is not touched.
LAYERS_BUILD := .build-layers
layers: deps
	GEOLITH_LAYERS=without-modbus $(SWIFT) build --build-tests --scratch-path $(LAYERS_BUILD)
	@if ldd $(LAYERS_BUILD)/debug/GeolithPackageTests.xctest | grep -i modbus; then \
	  echo "the libmodbus-free tests load libmodbus"; exit 1; fi
	@echo "$(LAYERS_BUILD)/debug/GeolithPackageTests.xctest does not load libmodbus"
	GEOLITH_LAYERS=without-modbus $(SWIFT) test --skip-build --scratch-path $(LAYERS_BUILD)
	@for dir in Sources/*/ Simulator/; do module=$$(basename $$dir); \
	  if grep -rnE "^(public |package )?(final )?(struct|enum|class|actor|protocol|typealias) $$module\b" $$dir --include='*.swift'; then \
	    echo "module $$module declares a type of its own name"; exit 1; fi; done
	@echo "no module declares a type of its own name"

# Only the dashboard in headless Chromium (also part of `make test`); the screenshot lands in .build/artifacts/.
test-browser: deps browser-deps peers
	GEOLITH_PEER_PYTHON=$(CURDIR)/$(PEER_PY) GEOLITH_REQUIRE_BROWSER=1 $(SWIFT) test --no-parallel --filter DashboardBrowserTests

demo: deps
	$(SWIFT) build -c release --product geolith
	$$($(SWIFT) build -c release --show-bin-path)/geolith demo

bench: bench-modbus bench-simulate bench-historian bench-monitor bench-model bench-sweep bench-replay bench-http bench-postgres

bench-modbus: deps
	$(SWIFT) build -c release --product geolith-bench
	$(MAKE) -C Benchmarks/modbus-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench modbus --c-peer $(CURDIR)/Benchmarks/modbus-c/build/modbus-c-bench

bench-simulate: deps
	$(SWIFT) build -c release --product geolith-bench
	$(MAKE) -C Benchmarks/modbus-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench simulate --c-peer $(CURDIR)/Benchmarks/modbus-c/build/modbus-c-bench

clean:
	rm -rf .build $(PEER_VENV)

bench-historian: deps
	$(SWIFT) build -c release --product geolith-bench
	$(MAKE) -C Benchmarks/sqlite-c
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench historian --c-peer $(CURDIR)/Benchmarks/sqlite-c/build/sqlite-c-bench

bench-monitor: deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench monitor

bench-model: deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench model PlantConfigs/rittershoffen.yaml

bench-sweep: deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench sweep PlantConfigs/rittershoffen.yaml

# Records a week of the demo plant once (about 4 minutes, 1.8 GB in the temporary folder), then replays it.
bench-replay: deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench replay

# HTTP API under wrk while the poller runs 10,000 tags: current values, a day of history → 1,000 points, /metrics.
bench-http: deps bench-http-deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench http

# The PostgreSQL historian on a private cluster started for the run: ingest against psql's COPY of the same rows (and
# the SQLite backend), then 10 plants × 10,000 tags at 1 s with the fleet view's history under wrk.
bench-postgres: deps postgres-deps bench-http-deps
	$(SWIFT) build -c release --product geolith-bench
	@dir=$$(mktemp -d /tmp/geolith-bench-pg.XXXXXX) && chmod 755 $$dir && \
	trap 'Tests/Peers/postgres-cluster.sh destroy '"$$dir"'/cluster; rm -rf '"$$dir" EXIT && \
	url=$$(Tests/Peers/postgres-cluster.sh start $$dir/cluster) && \
	bin=$$($(SWIFT) build -c release --show-bin-path)/geolith-bench && \
	$$bin historian --db "$$url?sslmode=disable" --password-file $$dir/cluster/password && \
	$$bin fleet --db "$$url?sslmode=disable" --password-file $$dir/cluster/password

# The hour-long soak of the monitor (RSS growth from minute 1 to the end).
soak-monitor: deps
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench monitor --seconds 3600

# The fuzzers at length (docs/reliability.md): a million inputs per parser, seed 1, over an hour on 2 cores (the
# coverage-guided plant loader is the slow one; the router loop needs about 6 GB in the test process).
# `make test` runs the same harnesses with 10,000 inputs each. First the seeded property loops (release build):
# Modbus answers, register codecs, the plant loader (mutations of the shipped plants and the minimal one, alias
# bombs), and the HTTP router (debug, through Hummingbird's test client); then libFuzzer, coverage-guided, on the
# three parsers (Swift's -sanitize=fuzzer; corpora kept in .build-fuzz/corpus).
FUZZ_INPUTS ?= 1000000
FUZZ_CORPUS := .build-fuzz/corpus
fuzz: deps
	$(SWIFT) build -c release --product geolith-fuzz
	mkdir -p $(FUZZ_CORPUS)/config-loader $(FUZZ_CORPUS)/modbus-answer $(FUZZ_CORPUS)/register-codec
	cp PlantConfigs/*.yaml Tests/PlantConfigTests/Fixtures/minimal.yaml $(FUZZ_CORPUS)/config-loader/
	$$($(SWIFT) build -c release --show-bin-path)/geolith-fuzz all --inputs $(FUZZ_INPUTS) --seed 1 --corpus $(FUZZ_CORPUS)/config-loader
	GEOLITH_FUZZ_INPUTS=$(FUZZ_INPUTS) $(SWIFT) test --filter FuzzRouterTests
	$(SWIFT) build -c release --build-path .build-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -D -Xswiftc LIBFUZZER --product geolith-fuzz
	for target in modbus-answer register-codec config-loader; do \
	  GEOLITH_FUZZ_TARGET=$$target .build-fuzz/release/geolith-fuzz -runs=$(FUZZ_INPUTS) -seed=1 -max_len=20000 \
	    -print_final_stats=1 $(FUZZ_CORPUS)/$$target 2>&1 | grep -E "Done|stat::number_of_executed_units|ERROR|crash" || exit 1; \
	done

# The hostile soak at full size: the monitor (file limit 1,024) polling 2,000 tags while 200 stalled live-stream
# clients and 1,100 idle connections press on it for a minute (docs/reliability.md).
soak-hostile: deps
	$(SWIFT) build -c release --product geolith
	$(SWIFT) build -c release --product geolith-bench
	$$($(SWIFT) build -c release --show-bin-path)/geolith-bench hostile
