#!/usr/bin/env bash
# Lints and renders helm/catfee-worker with every helm/catfee-worker/ci/*.yaml, validates the
# core manifests strictly with kubernetes-validate, and asserts the chart's guarantees (see
# scripts/chart_test.py). Needs only python3: creates .venv and installs pinned tools (Helm's
# Go SDK comes as the helm-python-sdk wheel; no helm binary, no cluster). Non-zero on failure.
set -euo pipefail
source "$(dirname "$0")/ops-venv.sh"
ops_venv
exec "$VENV_PY" "$OPS_ROOT/scripts/chart_test.py" "$@"
