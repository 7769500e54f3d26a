#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Fuzz/*, declared in Package.swift only when CONVOY_FUZZ=1) with
# AddressSanitizer and runs each in turn for a given time, one process at a time.
#
#   Scripts/fuzz.sh [--time SECONDS] [--build-only] [HARNESS...]
#
#   --time SECONDS   how long each harness runs (default 60)
#   --build-only     build, assemble the seed corpora, and stop
#   HARNESS          FuzzPNG FuzzJPEG FuzzTIFF FuzzWorldFile FuzzPRJ FuzzAuxXML FuzzPlaceOrCoordinate FuzzJSONLines
#                    (default: all, in that order)
#
# Build folder: .build-fuzz. Working corpus, findings and logs: fuzz-corpus/ (git-ignored):
#   fuzz-corpus/<harness>/           the corpus libFuzzer grows, kept between runs
#   fuzz-corpus/seeds/<harness>/     seeds assembled afresh on every run (see seed_sources)
#   fuzz-corpus/findings/<harness>/  crash-*, timeout-*, oom-*, leak-* inputs
#   fuzz-corpus/logs/<harness>.log   libFuzzer's output
#   fuzz-corpus/results.md           one table row per harness run
# A finding stops that harness (libFuzzer's behaviour) and the script goes on to the next one;
# reproduce with `.build-fuzz/release/<harness> fuzz-corpus/findings/<harness>/crash-...`.
#
# To add a harness: declare it in Package.swift (the list under CONVOY_FUZZ), then add its name to
# `all` below and a case to seed_sources (or commit seeds in Tests/FuzzSeeds/<harness>/, which are
# always used, and a libFuzzer dictionary Tests/FuzzSeeds/<harness>.dict, used when present).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${CONVOY_SHARED_DATA:-$root/../shared/data}

all=(FuzzPNG FuzzJPEG FuzzTIFF FuzzWorldFile FuzzPRJ FuzzAuxXML FuzzPlaceOrCoordinate FuzzJSONLines)
seconds=60
build_only=0
harnesses=()
while (($#)); do
    case $1 in
    --time) seconds=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    Fuzz*) harnesses+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
done
((${#harnesses[@]})) || harnesses=("${all[@]}")

# SwiftPM passes --sanitize=fuzzer and --sanitize=address to swiftc as two flags, and for swiftc the
# last -sanitize= wins, so Swift code would get ASan without libFuzzer's coverage counters; the
# combined -sanitize=fuzzer,address given last gives it both (clang combines them by itself).
# lld, as for the ASan run (gold fails on these objects).
build_flags=(-c release --sanitize=fuzzer --sanitize=address --scratch-path .build-fuzz
             -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
for harness in "${harnesses[@]}"; do
    echo "fuzz.sh: building $harness" >&2
    CONVOY_FUZZ=1 swift build "${build_flags[@]}" --product "$harness" >&2
done
bin=$(CONVOY_FUZZ=1 swift build "${build_flags[@]}" --show-bin-path)

# Seed files for one harness, one path per line: small files only (mutating a 300 KB image is slow
# and finds nothing a 3 KB one does not).
small() { find "$@" -maxdepth 1 -type f -size -200k ! -name '*.raw' 2>/dev/null || true; }
seed_sources() {
    case $1 in
    FuzzPNG) small "$shared/pngsuite" "$shared/png-crashers" SampleImages | grep -iv '\.\(jpe\?g\|tiff\?\|jgw\|prj\)$' ;;
    FuzzJPEG) small Tests/ConvoyImageIOTests/Fixtures SampleImages | grep -i '\.jpe\?g$' ;;
    FuzzTIFF) small Tests/ConvoyImageIOTests/Fixtures SampleImages | grep -i '\.tiff\?$' ;;
    FuzzWorldFile) small SampleImages SampleImages/kyiv-64km | grep -i 'w$' | head -n 5 ;;
    FuzzPRJ) small SampleImages | grep -i '\.prj$' ;;
    *) ;;
    esac
    small "Tests/FuzzSeeds/$1"
}

mkdir -p fuzz-corpus/logs
results=fuzz-corpus/results.md
[[ -f $results ]] || printf '| harness | seconds | executions | exec/s | corpus files | findings | date |\n|---|---|---|---|---|---|---|\n' > "$results"
table=()
for harness in "${harnesses[@]}"; do
    corpus=fuzz-corpus/$harness seeds=fuzz-corpus/seeds/$harness findings=fuzz-corpus/findings/$harness
    rm -rf "$seeds"
    mkdir -p "$corpus" "$seeds" "$findings"
    while IFS= read -r file; do
        [[ -n $file ]] && cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
    done < <(seed_sources "$harness")
    ((build_only)) && { echo "$harness: $(ls "$seeds" | wc -l) seeds" >&2; continue; }
    options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
             -artifact_prefix="$findings/")
    [[ -f Tests/FuzzSeeds/$harness.dict ]] && options+=(-dict="Tests/FuzzSeeds/$harness.dict")
    before=$(find "$findings" -type f | wc -l)
    log=fuzz-corpus/logs/$harness.log
    echo "fuzz.sh: running $harness for $seconds s (log: $log)" >&2
    # The gazetteer harness finds its resources beside the binary; ASan's leak check is on.
    start=$SECONDS
    set +e
    ASAN_OPTIONS=detect_leaks=1 "$bin/$harness" "${options[@]}" "$corpus" "$seeds" > "$log" 2>&1
    status=$?
    set -e
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    elapsed=$((SECONDS - start))
    files=$(find "$corpus" -type f | wc -l)
    found=$(($(find "$findings" -type f | wc -l) - before))
    ((status == 0)) || [[ $found -gt 0 ]] || found="exit $status"
    row="| $harness | $elapsed | ${executions:-?} | ${rate:-?} | $files | $found | $(date -u +%F) |"
    echo "$row" >> "$results"
    table+=("$row")
    echo "fuzz.sh: $row" >&2
done
((build_only)) && exit 0
printf '\n| harness | seconds | executions | exec/s | corpus files | findings | date |\n|---|---|---|---|---|---|---|\n'
printf '%s\n' "${table[@]}"
