#!/usr/bin/env bash
# Quick start: install what is missing, build convoy in release mode, and run it on the
# bundled sample images.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-system-packages.sh
swift build -c release --product convoy
echo
echo "$ convoy info SampleImages/*"
.build/release/convoy info SampleImages/*.tif SampleImages/*.jpg SampleImages/*.png
