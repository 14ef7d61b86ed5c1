#!/usr/bin/env bash
# The README's demo command: installs what the build needs, builds, and runs `catfee-worker demo`
# (an in-process mock Kafka cluster and CatFee simulator, sample intents, the real pipeline, a summary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product catfee-worker 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' >&2
exec "$(swift build --show-bin-path)/catfee-worker" demo
