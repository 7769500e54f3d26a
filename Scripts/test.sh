#!/usr/bin/env bash
# Runs the whole test suite, installing missing system packages first. CI runs this (.ci/run).
# The suite reads ../shared/data (PngSuite, PNG crashers) beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh --tests
swift build --build-tests
# the end-to-end regression on the 48-tile 64 km case runs the release binary
swift build -c release --product convoy
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build --disable-xctest "$@" 2>&1 | tee "$log" || status=$?
# A plain closing line for tools that read one: Swift Testing's own summary, restated.
tests=$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} .*/\1/p' "$log" | tail -n 1)
failed=$(grep '^✘ Test .* failed' "$log" | grep -vc '^✘ Test run' || true)
if [[ -n "$tests" ]]; then
    echo "$((tests - failed)) passed, $failed failed"
fi
exit "$status"
