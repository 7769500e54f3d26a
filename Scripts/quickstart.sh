#!/usr/bin/env bash
# Quick start: install what is missing, build convoy in release mode, and run it on the
# bundled sample images: describe them, then measure the convoy and its distance to Kyiv.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
swift build -c release --product convoy
convoy=.build/release/convoy
overlay="${TMPDIR:-/tmp}/convoy-sample-overlay.png"
echo
echo "$ convoy info SampleImages/*"
$convoy info SampleImages/*.tif SampleImages/*.jpg SampleImages/*.png
echo
echo "$ convoy measure SampleImages/ivankiv-road.jpg --target Kyiv --overlay $overlay"
$convoy measure SampleImages/ivankiv-road.jpg --target Kyiv --overlay "$overlay"
echo "Overlay (detections yellow, path red, vehicles found on the path orange, head green, tail blue): $overlay"
