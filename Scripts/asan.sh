#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer (and LeakSanitizer) with Swift Testing only:
# XCTest's runner reports leaks of its own. Uses its own build folder, .build-asan.
#   Scripts/asan.sh [--filter REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh --tests
flags=(--sanitize=address --scratch-path .build-asan -Xswiftc -use-ld=lld)
swift build --build-tests "${flags[@]}"
export LSAN_OPTIONS="suppressions=$PWD/Scripts/asan-suppressions.txt:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
swift test --skip-build --disable-xctest "${flags[@]}" "$@"
