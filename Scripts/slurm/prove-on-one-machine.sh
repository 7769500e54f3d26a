#!/usr/bin/env bash
# Proves the Slurm path for real on this one machine: installs slurm-wlm and munge from Debian,
# runs a single-node cluster on loopback (munged, slurmctld, slurmd), submits a convoy batch as
# a 3-task job array with its dependent merge (submit.sh), waits, and checks that the merged
# output equals a single-machine run over the same folder (every record, timings aside).
# Needs root. Stops the daemons it started when done. Not part of the test suite.
#   Scripts/slurm/prove-on-one-machine.sh [WORKDIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/convoy-slurm-proof}
shards=3
[[ $(id -u) -eq 0 ]] || { echo "run as root (installs packages, starts daemons)" >&2; exit 1; }

echo "== packages"
export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi
"$repo/Scripts/install-system-packages.sh"

echo "== convoy (release build)"
(cd "$repo" && swift build -c release --product convoy 2>&1 | tail -n 1)
convoy="$repo/.build/release/convoy"

echo "== test folder in $work"
rm -rf "$work"
mkdir -p "$work/images/more" "$work/results" "$work/spool/ctld" "$work/spool/d" "$work/run"
samples="$repo/SampleImages"
for name in a b c d e; do
    cp "$samples/ivankiv-road.jpg" "$work/images/$name.jpg"
    cp "$samples/ivankiv-road.jgw" "$work/images/$name.jgw"
    cp "$samples/ivankiv-road.prj" "$work/images/$name.prj"
done
cp "$samples/ivankiv-road-utm35n.tif" "$work/images/more/scene.tif"
cp "$samples/ivankiv-road.png" "$work/images/more/unreferenced.png"     # no scale: an error record
head -c 20000 "$samples/ivankiv-road.jpg" > "$work/images/truncated.jpg"  # broken: an error record
cp "$samples/ivankiv-road.jgw" "$work/images/truncated.jgw"
cp "$samples/ivankiv-road.prj" "$work/images/truncated.prj"
echo "not an image" > "$work/images/notes.jpg"                           # impostor: an error record
echo "field notes" > "$work/images/README.txt"                           # skipped

echo "== munge"
cleanup() {  # stops the daemons this script started (by their pid files) and waits for them
    for pidfile in "$work/run/slurmd.pid" "$work/run/slurmctld.pid" "$work/run/munged.pid"; do
        [[ -s $pidfile ]] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    done
}
trap cleanup EXIT
if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chown munge:munge "$work/run"
socket="$work/run/munge.socket"
runuser -u munge -- /usr/sbin/munged --socket="$socket" --pid-file="$work/run/munged.pid" --force
chown root:root "$work/run"
sleep 1
munge --socket="$socket" -n | unmunge --socket="$socket" >/dev/null && echo "munge works"

echo "== slurm.conf (single node on loopback)"
node=$(hostname -s)
cpus=$(nproc)
conf="$work/slurm.conf"
cat > "$conf" <<CONF
ClusterName=convoyproof
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=proof Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf

echo "== slurmctld, slurmd"
slurmctld -c -f "$conf"
slurmd -f "$conf" -N "$node"
for _ in $(seq 60); do
    state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    [[ $state == idle* ]] && break
    sleep 1
done
sinfo
[[ $(sinfo -h -n "$node" -o %t) == idle* ]] || { echo "node did not come up; see $work/slurmd.log" >&2; exit 1; }

echo "== submit array of $shards shards and the merge"
read -r array merge < <(CONVOY="$convoy" "$repo/Scripts/slurm/submit.sh" "$work/images" "$work/results" "$shards" --target Kyiv)
echo "array job $array, merge job $merge"
for _ in $(seq 600); do
    [[ -z $(squeue -h -j "$array,$merge" 2>/dev/null) ]] && break
    sleep 1
done
[[ -z $(squeue -h -j "$array,$merge" 2>/dev/null) ]] || { echo "jobs still queued after 10 minutes" >&2; squeue; exit 1; }
ls -l "$work/results"
[[ -s $work/results/all.jsonl ]] || { echo "no merged output; logs:" >&2; cat "$work"/results/*.log >&2; exit 1; }

echo "== single-machine run over the same folder"
(cd "$work" && "$convoy" batch "$work/images" --recursive --target Kyiv --out "$work/single.jsonl" || [[ $? -eq 2 ]])
"$convoy" merge "$work/single.jsonl" --out "$work/single-sorted.jsonl"

echo "== compare"
python3 - "$work/results/all.jsonl" "$work/single-sorted.jsonl" <<'PY'
import json, sys
def load(path):
    records = [json.loads(line) for line in open(path)]
    for r in records:
        r.pop("seconds", None)
    return records
slurm, single = load(sys.argv[1]), load(sys.argv[2])
shards = [len(open(p).readlines()) for p in sorted(__import__("glob").glob(sys.argv[1].rsplit("/", 1)[0] + "/shard-*.jsonl"))]
print(f"slurm merged: {len(slurm)} records from shards of {shards}; single run: {len(single)} records; "
      f"{sum(r['ok'] for r in slurm)} ok, {sum(not r['ok'] for r in slurm)} errors")
if slurm != single:
    print("DIFFERENT", file=sys.stderr)
    sys.exit(1)
print("PROOF OK: the Slurm array + merge equals the single-machine run")
PY
