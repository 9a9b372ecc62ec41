#!/usr/bin/env bash
# Seconds from a node's kill to training again, ours beside torchrun's elastic agent, in one run on this machine.
# Ours: `actortrain simulate --nodes 3` with a tiny job, job.max-restarts = 2, save-every = 3; once the first
# checkpoint exists, SIGKILL node-$VICTIM; simulate relaunches it, every node restarts and resumes from the last
# checkpoint. Peer: 3 torchrun agents (PyTorch at /usr/bin/python3, --max-restarts 2, c10d rendezvous on 127.0.0.1,
# --monitor-interval 1) running bench/peers/torchrun_elastic_worker.py (gloo DDP); SIGKILL agent $VICTIM's worker;
# its agent restarts it and the others re-rendezvous. For both: seconds until rank 0 says it resumed, and until its
# first step after that. Usage: bench/elastic_restart.sh [VICTIM (default 1)] [ROUNDS (default 1)]. Frees everything.
set -uo pipefail
victim=${1:-1}
rounds=${2:-1}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${ACTORTRAIN_CLI:-$ROOT/src/Cli/bin/Release/net10.0/actortrain}"
py=/usr/bin/python3
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do pkill -9 -P "$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done; rm -rf "$dir"; }
trap cleanup EXIT

now() { date +%s.%N; }
# wait_line FILE REGEX AFTER_LINE_COUNT TIMEOUT: waits for a line matching REGEX after the first AFTER_LINE_COUNT lines.
wait_line() {
  local deadline=$(( $(date +%s) + $4 ))
  until tail -n +"$(( $3 + 1 ))" "$1" 2>/dev/null | grep -qE "$2"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# kill_and_time FILE PID STEP_REGEX LABEL: kill -9 PID, then wait in FILE for "resumed at step" and, after it, for a
# line matching STEP_REGEX. Sets RESUMED and FIRST_STEP (seconds after the kill); returns 1 (saying why) on a timeout.
kill_and_time() {
  local n; n=$(wc -l < "$1")
  local t0; t0=$(now); kill -9 "$2"
  wait_line "$1" "resumed at step" "$n" 120 || { echo "$4: no restart"; tail -n 20 "$1"; return 1; }
  local t1; t1=$(now)
  local m; m=$(grep -nE "resumed at step" "$1" | tail -1 | cut -d: -f1)
  wait_line "$1" "$3" "$m" 60; local t2; t2=$(now)
  RESUMED=$(echo "$t1 - $t0" | bc); FIRST_STEP=$(echo "$t2 - $t0" | bc)
}

ours() {
  local out=$dir/ours-$1.out
  local sets=(job.run-dir=$dir/ours-$1 model.preset=custom model.context=16 model.width=32 model.layers=1 model.heads=2 model.device=cpu
        data.train-size=256 data.val-size=16 train.eval-samples=8 train.eval-every=0 train.steps=100000 train.warmup-steps=1
        train.micro-batch-size=4 train.log-every=1 train.save-every=3 train.threads=1 job.max-restarts=2)
  local args=(); for s in "${sets[@]}"; do args+=(--set "actortrain.$s"); done
  "$bin" simulate --nodes 3 "${args[@]}" > "$out" 2>&1 &
  local sim=$!; pids+=($sim)
  wait_line "$out" "^checkpoint @ step" 0 120 || { echo "ours: no checkpoint"; tail -n 20 "$out"; return 1; }
  local pid; pid=$(grep -oP "node-$victim: pid \K\d+" "$out" | head -1)
  kill_and_time "$out" "$pid" "^step [0-9]+/" ours || return 1
  kill -TERM "$sim"; wait "$sim" 2>/dev/null  # (background jobs of a script ignore SIGINT)
  printf "ours  round %s: kill node-%s -> rank 0 resumed after %.1f s, first step after %.1f s (%s)\n" "$1" "$victim" \
    "$RESUMED" "$FIRST_STEP" "$(grep -oE 'resumed at step [0-9]+' "$out" | tail -1)"
}

peer() {
  local port; port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local run=$dir/peer-$1; mkdir -p "$run"
  local agents=()
  for k in 0 1 2; do
    local host=false; [ "$k" = 0 ] && host=true
    # --redirects 2 --tee 1: torchrun 1.13's defaults (0) fail on Debian's Python 3.11 (IntFlag iteration skips 0).
    # All three agents append to one file: which agent hosts rank 0 changes from one rendezvous to the next.
    OMP_NUM_THREADS=1 "$py" -m torch.distributed.run --nnodes=3 --nproc_per_node=1 --max_restarts=2 --monitor_interval=1 \
      --redirects 2 --tee 1 --rdzv_backend=c10d --rdzv_endpoint=127.0.0.1:"$port" --rdzv_id=bench-$1 --rdzv_conf is_host=$host \
      "$ROOT/bench/peers/torchrun_elastic_worker.py" "$run" >> "$dir/peer-$1.out" 2>&1 &
    agents+=($!); pids+=($!)
  done
  local out=$dir/peer-$1.out
  wait_line "$out" ":step 3$" 0 120 || { echo "peer: did not start"; tail -n 20 "$out"; return 1; }
  until [ -f "$run/latest.pt" ]; do sleep 0.05; done
  local worker; worker=$(pgrep -P "${agents[$victim]}" | head -1)
  kill_and_time "$out" "$worker" ":step [0-9]+$" peer || return 1
  for a in "${agents[@]}"; do pkill -9 -P "$a" 2>/dev/null; kill -9 "$a" 2>/dev/null; wait "$a" 2>/dev/null; done
  printf "peer  round %s: kill worker of agent %s -> rank 0 resumed after %.1f s, first step after %.1f s (%s; torch %s)\n" "$1" "$victim" \
    "$RESUMED" "$FIRST_STEP" "$(grep -oE 'resumed at step [0-9]+' "$out" | tail -1)" "$($py -c 'import torch; print(torch.__version__)')"
}

for r in $(seq 1 "$rounds"); do
  ours "$r"
  peer "$r"
done
