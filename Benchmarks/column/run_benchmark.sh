#!/usr/bin/env bash
# Side-by-side benchmark of the column model (issues 7 and 16): builds geolith (release), installs
# CADET-Core from PyPI into a virtual environment, and prints one table.
# Usage: Benchmarks/column/run_benchmark.sh [--cases dle,thomas,ldf,tracer,salt] [--repeats 5]
# The interpreter: $PYTHON if set, else the first Python >= 3.10 with venv found on PATH (python3.13 …
# python3.10, python3, python) or under ~/.pyenv/versions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${COLUMN_BENCH_VENV:-$here/.venv}"

# Prints every Python >= 3.10 that can make a venv, most preferred first.
find_pythons() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    [ -n "${PYTHON312:-}" ] && candidates+=("$PYTHON312")
    for name in python3.13 python3.12 python3.11 python3.10 python3 python; do
        command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
    done
    for dir in $(ls -d "$HOME"/.pyenv/versions/*/bin 2>/dev/null | sort -rV); do
        [ -x "$dir/python3" ] && candidates+=("$dir/python3")
    done
    local seen=" "
    for candidate in "${candidates[@]}"; do
        # The interpreter behind the name (pyenv shims and aliases resolve to the same one).
        real="$("$candidate" -c 'import os, sys, venv, ensurepip
sys.exit(1) if sys.version_info < (3, 10) else print(os.path.realpath(sys.executable))' 2>/dev/null)" || continue
        case "$seen" in *" $real "*) continue ;; esac
        seen="$seen$real "
        echo "$candidate"
    done
}

if [ ! -x "$venv/bin/cadet-cli" ]; then
    # CADET-Core's wheels exist for some CPython versions only (5.1.1: 3.12 and 3.13, not 3.10 or 3.11), so
    # each interpreter found is tried until one installs it.
    installed=""
    for python in $(find_pythons); do
        echo "trying $python ($("$python" --version 2>&1)) for $venv" >&2
        rm -rf "$venv"
        "$python" -m venv "$venv" || continue
        # cadet-core ships the CADET-Core solver binaries (cadet-cli); cadet-python drives them.
        if "$venv/bin/pip" install --quiet 'cadet-core==5.1.1' cadet-python packaging numpy scipy h5py; then
            installed="$python"
            break
        fi
    done
    if [ -z "$installed" ]; then
        rm -rf "$venv"
        echo "run_benchmark.sh: no Python >= 3.10 here could install cadet-core 5.1.1 (it has wheels for" \
             "CPython 3.12 and 3.13); install one (pyenv install 3.12) or set PYTHON=/path/to/python3" >&2
        exit 1
    fi
fi
(cd "$root" && swift build -c release --product geolith 2>&1 | tail -1)
export PATH="$venv/bin:$PATH"
cd "$here"
exec "$venv/bin/python" bench.py "$@"
