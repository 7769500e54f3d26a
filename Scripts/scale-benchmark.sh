#!/usr/bin/env bash
# Scale benchmark (issue 6), not a test: generates large images deterministically and prints,
# for each, the wall time and peak RSS of `convoy measure` beside the decode-only time of the
# same file by a reference decoder, measured one after the other in the same run.
#
#   Scripts/scale-benchmark.sh [--convoy PATH] [--work DIR] [--sizes "25 100 256 1000"]
#                              [--formats "jpeg png tiff"] [--max-png MP]
#
# Reference decoders: JPEG `djpeg -outfile /dev/null` (libjpeg-turbo-progs, full colour decode);
# PNG and tiled TIFF a decode-only loop over libpng rows / libtiff tiles (Scripts/scale-benchmark.c).
# Images are kept in the work folder (default /tmp/convoy-scale) and reused by later runs.
# Needs cjpeg/djpeg (libjpeg-turbo-progs), a C compiler, libpng/libtiff headers, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
convoy=.build/release/convoy
work=/tmp/convoy-scale
sizes="25 100 256 1000"
formats="jpeg png tiff"
max_png=256
while [[ $# -gt 0 ]]; do
    case "$1" in
        --convoy) convoy=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --formats) formats=$2; shift 2 ;;
        --max-png) max_png=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x $convoy ]] || { echo "no convoy binary at $convoy (swift build -c release)" >&2; exit 1; }
mkdir -p "$work"
helper=$work/scale-benchmark
if [[ ! -x $helper || Scripts/scale-benchmark.c -nt $helper ]]; then
    cc -O2 -o "$helper" Scripts/scale-benchmark.c -lpng16 -ltiff
fi

# seconds of wall time and peak RSS (MB) of a command, from /usr/bin/time -v
measure() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    rm -f "$log"
    echo "$wall $((rss / 1024))"
}

echo "# convoy scale benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| image | MP | format | convoy measure s | reference decode s | ratio | convoy peak RSS MB | MP/s |"
echo "|---|---:|---|---:|---:|---:|---:|---:|"
for mp in $sizes; do
    side=$(awk -v mp="$mp" 'BEGIN { printf "%d", sqrt(mp * 1000000) + 0.5 }')
    for format in $formats; do
        if [[ $format == png && $mp -gt $max_png ]]; then continue; fi
        case $format in
            jpeg) file=$work/scene-${mp}mp.jpg ;;
            png) file=$work/scene-${mp}mp.png ;;
            tiff) file=$work/scene-${mp}mp.tif ;;
        esac
        if [[ ! -s $file ]]; then
            case $format in
                jpeg) "$helper" ppm "$side" "$side" | cjpeg -quality 90 -outfile "$file.part" && mv "$file.part" "$file" ;;
                png) "$helper" png "$side" "$side" "$file.part" && mv "$file.part" "$file" ;;
                tiff) "$helper" tiff "$side" "$side" "$file.part" && mv "$file.part" "$file" ;;
            esac
        fi
        cat "$file" >/dev/null # both runs read from the page cache
        read -r cwall crss < <(measure "$convoy" measure "$file" --gsd 0.5)
        if [[ $format == jpeg ]]; then
            read -r rwall _ < <(measure djpeg -outfile /dev/null "$file")
        else
            read -r rwall _ < <(measure "$helper" decode "$file")
        fi
        awk -v f="$(basename "$file")" -v mp="$mp" -v fmt="$format" -v c="$cwall" -v r="$rwall" -v rss="$crss" -v s="$side" \
            'BEGIN { printf "| %s (%dx%d) | %d | %s | %.2f | %.2f | %.2f | %d | %.0f |\n", f, s, s, mp, fmt, c, r, (r > 0 ? c / r : 0), rss, mp / c }'
    done
done
