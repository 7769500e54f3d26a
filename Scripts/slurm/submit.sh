#!/usr/bin/env bash
# Submits a convoy batch over IMAGES as a Slurm job array of SHARDS tasks, and the merge as a job
# that runs when every task has succeeded. Prints the two job ids.
#   Scripts/slurm/submit.sh IMAGES RESULTS SHARDS [convoy options...]
# CONVOY names the executable the nodes run (default: convoy on PATH); it and IMAGES/RESULTS
# must be reachable by the same paths on every node (a shared file system).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
images=$(realpath "$1") results=$(realpath -m "$2") shards=$3
shift 3
mkdir -p "$results"
export IMAGES=$images RESULTS=$results SHARDS=$shards CONVOY=${CONVOY:-convoy} CONVOY_OPTIONS="$*"
array=$(sbatch --parsable --chdir="$results" --array=0-$((shards - 1)) --export=ALL "$here/convoy-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --chdir="$results" --dependency=afterok:"$array" --export=ALL "$here/convoy-merge.sbatch")
echo "$array $merge"
