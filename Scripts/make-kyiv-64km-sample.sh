#!/bin/sh
# Regenerate the synthetic reconstruction of the 28 Feb 2022 Kyiv-axis column (64.0 km along the
# road, head 25.0 km from Kyiv) as georeferenced 2 m JPEG tiles (EPSG:32636, .jgw + .prj) with
# kyiv-64km.truth.json and tiles.json. Deterministic; the parameters below are the committed ones.
#   Scripts/make-kyiv-64km-sample.sh [OUT_DIR]     (default /tmp/kyiv-64km)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/kyiv-64km}
rm -rf "$out"
exec python3 "$here/convoy-synth" corridor --out "$out" --seed 20220228 --gsd 2.0 \
    --tile 1280 --overlap 64 --jpeg-quality 80 --max-mb 25
