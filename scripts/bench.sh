#!/usr/bin/env bash
# The benchmark (issue 6): installs what the build needs, builds catfee-worker and catfee-bench in release mode,
# then runs every scenario (mock cluster, simulator and worker each in a process of their own) and prints a table;
# the JSON report goes to bench-results.json. Arguments go to catfee-bench (see `catfee-bench --help`), e.g.
#   scripts/bench.sh --scenario drain           one scenario
#   scripts/bench.sh --scale 0.05               a quick smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product catfee-worker 2>&1 | grep -E 'error|warning' >&2 || true
swift build -c release --product catfee-bench 2>&1 | grep -E 'error|warning' >&2 || true
bin="$(swift build -c release --show-bin-path)"
exec "$bin/catfee-bench" --worker "$bin/catfee-worker" "$@"
