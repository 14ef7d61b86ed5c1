#!/usr/bin/env bash
# The README's test command: installs what is needed, then runs every check and test of the project.
#   1. swift format lint (no diff allowed)     4. JSON Schema examples and AsyncAPI (check-jsonschema)
#   2. debug build with no warnings           5. Helm chart lint/render/validate (helm-python-sdk, kubernetes-validate)
#   3. swift test (unit, component, process)   6. release build + runtime libraries vs the Dockerfile, and a
#                                                 benchmark smoke run (correctness only, no timing)
# Set QUICK=1 to skip step 6.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
failures=0
step() { echo; echo "==> $*"; }

step "swift format lint"
lint=$(swift format lint --recursive Sources Tests Package.swift 2>&1 || true)
if [ -n "$lint" ]; then echo "$lint" | head -40; echo "swift format: fix with 'swift format --in-place --recursive Sources Tests Package.swift'"; failures=$((failures + 1)); fi

step "swift build (debug, warnings are errors)"
build_log=$(mktemp)
if ! swift build --build-tests 2>&1 | tee "$build_log" | grep -E 'error:|warning:' ; then :; fi
if grep -qE 'error:' "$build_log"; then echo "build failed"; exit 1; fi
if grep -qE 'warning:' "$build_log"; then echo "the build has warnings"; failures=$((failures + 1)); fi

step "swift test"
export CATFEE_WORKER_BINARY="$(swift build --show-bin-path)/catfee-worker"
test_log=$(mktemp)
set +e
swift test --skip-build --no-parallel 2>&1 | grep -vE '^%[0-9]+\|' | tee "$test_log" | grep -E '^(✔ Suite|✘|✔ Test run|Test Suite .*(passed|failed)|.*Executed)' 
test_status=${PIPESTATUS[0]}
set -e
if [ "$test_status" -ne 0 ]; then
  echo "swift test failed (exit $test_status); failing lines:"; grep -E '✘|error' "$test_log" | head -60
  failures=$((failures + 1))
fi

step "JSON Schemas, examples, AsyncAPI"
scripts/schema-test.sh || failures=$((failures + 1))

step "Helm chart"
scripts/chart-test.sh || failures=$((failures + 1))

if [ "${QUICK:-0}" != 1 ]; then
  step "release build (static Swift stdlib) and its runtime libraries vs the Dockerfile"
  swift build -c release --static-swift-stdlib --product catfee-worker 2>&1 | grep -E 'error|warning' || true
  scripts/check-runtime-libs.sh "$(swift build -c release --show-bin-path)/catfee-worker" || failures=$((failures + 1))

  step "benchmark smoke run (every scenario at 2% size: it must run and never charge a client_order_id twice; speed is not judged here)"
  swift build -c release --product catfee-bench 2>&1 | grep -E 'error|warning' || true
  bin="$(swift build -c release --show-bin-path)"
  "$bin/catfee-bench" --worker "$bin/catfee-worker" --scale 0.02 --json "$(mktemp)" || failures=$((failures + 1))
fi

echo
if [ "$failures" -ne 0 ]; then echo "FAILED: $failures step(s) failed"; exit 1; fi
echo "all checks passed"
