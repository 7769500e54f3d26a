#!/usr/bin/env bash
# Installs the Debian packages convoy needs, and only those missing.
#   Scripts/install-system-packages.sh          build and run: codec and PROJ libraries
#   Scripts/install-system-packages.sh --tests  also what the tests compare against (gdal-bin)
#   Scripts/install-system-packages.sh --synth  also what Scripts/convoy-synth writes scenes with
#                                               (cjpeg from libjpeg-turbo-progs, gdal-bin)
set -euo pipefail

packages=(pkg-config libpng-dev libjpeg-dev libtiff-dev libproj-dev proj-data)
case "${1:-}" in
    --tests) packages+=(gdal-bin) ;;
    --synth) packages+=(gdal-bin libjpeg-turbo-progs) ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing system packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "Not root and no sudo: install them with apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
