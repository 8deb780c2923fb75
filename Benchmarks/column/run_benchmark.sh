#!/usr/bin/env bash
# Side-by-side benchmark of the column model (issue 7): builds geolith (release), installs
# CADET-Core from PyPI into a Python 3.12 virtual environment, and prints one table.
# Usage: Benchmarks/column/run_benchmark.sh [--cases dle,thomas,ldf,tracer] [--repeats 5]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON312:-/root/.pyenv/versions/3.12.1/bin/python3}"
venv="${COLUMN_BENCH_VENV:-$here/.venv}"

if [ ! -x "$venv/bin/cadet-cli" ]; then
    "$python" -m venv "$venv"
    # cadet-core ships the CADET-Core solver binaries (cadet-cli); cadet-python drives them.
    "$venv/bin/pip" install --quiet cadet-core cadet-python packaging numpy scipy h5py
fi
(cd "$root" && swift build -c release --product geolith 2>&1 | tail -1)
export PATH="$venv/bin:$PATH"
cd "$here"
exec "$venv/bin/python" bench.py "$@"
