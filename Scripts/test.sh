#!/usr/bin/env bash
# Runs the whole test suite, installing missing system packages first. CI runs this (.ci/run).
# The suite reads ../shared/data (PngSuite, PNG crashers) beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh --tests
swift build --build-tests
# the end-to-end regression on the 48-tile 64 km case runs the release binary
swift build -c release --product convoy
swift test --skip-build --disable-xctest "$@"
