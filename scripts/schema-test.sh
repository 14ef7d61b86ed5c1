#!/usr/bin/env bash
# Validates schemas/: JSON Schemas against their meta-schema, every example (valid ones must
# pass, invalid ones must each fail) with check-jsonschema, the decoder-only cases, TRON
# checksums of the valid examples, and schemas/asyncapi.yaml against the official AsyncAPI
# 3.0.0 JSON Schema (vendored in schemas/vendor/) plus a reference/structure check.
# Needs only python3 (creates .venv and installs pinned tools). Exit status non-zero on failure.
set -euo pipefail
source "$(dirname "$0")/ops-venv.sh"
ops_venv
exec "$VENV_PY" "$OPS_ROOT/scripts/schema_test.py" "$@"
