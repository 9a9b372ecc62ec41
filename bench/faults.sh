#!/usr/bin/env bash
# Times how fast a simulated job stops when one node fails: `bench/faults.sh KILL` (SIGKILL) or `bench/faults.sh STOP`
# (SIGSTOP, a frozen node). Starts `actortrain simulate --nodes 3` with a tiny job, signals node-1 once the first
# checkpoint exists, prints the seconds until simulate exits and the failure lines. Frees everything it started.
set -uo pipefail
sig=${1:-KILL}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${ACTORTRAIN_CLI:-$ROOT/src/Cli/bin/Release/net10.0/actortrain}"
dir=$(mktemp -d)
sets=(job.run-dir=$dir/run model.preset=custom model.context=16 model.width=32 model.layers=1 model.heads=2 model.device=cpu
      data.train-size=256 data.val-size=16 train.eval-samples=8 train.eval-every=0 train.steps=100000 train.warmup-steps=1
      train.micro-batch-size=4 train.log-every=1 train.save-every=3 train.threads=1)
args=(); for s in "${sets[@]}"; do args+=(--set "actortrain.$s"); done
"$bin" simulate --nodes 3 "${args[@]}" > "$dir/out" 2>&1 &
sim=$!
trap 'kill -CONT $pid 2>/dev/null; kill -9 $pid $sim 2>/dev/null; rm -rf "$dir"' EXIT
pid=""
until grep -q "checkpoint @ step" "$dir/out"; do sleep 0.2; kill -0 $sim 2>/dev/null || { cat "$dir/out"; exit 1; }; done
pid=$(grep -oP 'node-1: pid \K\d+' "$dir/out")
t0=$(date +%s.%N); kill -"$sig" "$pid"
wait $sim; rc=$?; t1=$(date +%s.%N)
echo "SIG$sig node-1 -> simulate exit code $rc after $(echo "$t1 - $t0" | bc) s"
grep -E "simulate: the job failed|UNREACHABLE: no heartbeats|^\[node-0\].*job failed on" "$dir/out" | cut -c1-300
