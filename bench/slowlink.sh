#!/usr/bin/env bash
# Slow-link DDP benchmark: a 3-node ring DDP job across three network namespaces whose links are shaped to
# RATE (default 1gbit) and DELAY (default 1ms) with tc netem, against the bound
#   max(compute time, ring bound = 2(n-1)/n × gradient bytes / link rate)      target: step time ≤ 1.15 × bound.
# Compute time is measured in the same invocation: the same three nodes, each training the same model and batch alone
# (world size 1, no gradient traffic), at the same time (same CPU contention).
#
#   sudo [NODES=3] [BATCH=2] [STEPS=20] [PRESET=gpt-bench] [RATE=1gbit] [DELAY=1ms] [BUCKET_CAP=25MiB] bench/slowlink.sh
#
# Needs root (ip netns, tc). Where the kernel lacks sch_netem (no delay), the rate is shaped with tbf (TBF_BURST,
# TBF_LATENCY; defaults 1mb, 400ms) and the script says that the delay was not applied. Everything it creates is named atb-<pid>-* and deleted on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AT="${ACTORTRAIN_CLI:-$ROOT/src/Cli/bin/Release/net10.0/actortrain}"
BATCH="${BATCH:-2}" STEPS="${STEPS:-20}" PRESET="${PRESET:-gpt-bench}" RATE="${RATE:-1gbit}" DELAY="${DELAY:-1ms}"
BUCKET_CAP="${BUCKET_CAP:-25MiB}"
WARMUP=3
N="${NODES:-3}"
[[ $(id -u) -eq 0 ]] || { echo "slowlink: needs root (ip netns, tc)" >&2; exit 2; }
[[ -x "$AT" ]] || { echo "slowlink: $AT not built (dotnet build -c Release)" >&2; exit 2; }

TAG="atb-$$"
WORK="$(mktemp -d /tmp/actortrain-slowlink-XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in $(ip netns list | awk '{print $1}' | grep "^$TAG-" || true); do ip netns delete "$ns" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# Namespaces of earlier runs that were killed before their trap ran.
for ns in $(ip netns list | awk '{print $1}' | grep '^atb-' || true); do
  pid="${ns#atb-}"; pid="${pid%%-*}"; kill -0 "$pid" 2>/dev/null || ip netns delete "$ns" || true
done

# The lab: hub namespace with a bridge, host i at 10.78.0.(i+1) on its eth0, shaped on eth0's egress.
ip netns add "$TAG-hub"
ip -n "$TAG-hub" link add br0 type bridge
ip -n "$TAG-hub" link set br0 up
SHAPING=""
for i in $(seq 0 $((N - 1))); do
  ns="$TAG-h$i"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$TAG-hub" link add "p$i" type veth peer name eth0 netns "$ns"
  ip -n "$TAG-hub" link set "p$i" master br0 up
  ip -n "$ns" addr add "10.78.0.$((i + 1))/24" dev eth0
  ip -n "$ns" link set eth0 up
  if tc -n "$ns" qdisc add dev eth0 root netem rate "$RATE" delay "$DELAY" limit 10000 2>/dev/null; then
    SHAPING="netem rate $RATE delay $DELAY"
  else
    # No sch_netem in this kernel: shape the rate alone (tbf), and say so.
    tc -n "$ns" qdisc add dev eth0 root tbf rate "$RATE" burst "${TBF_BURST:-1mb}" latency "${TBF_LATENCY:-400ms}"
    SHAPING="tbf rate $RATE (kernel has no sch_netem: the ${DELAY} delay was NOT applied)"
  fi
done

COMMON=(
  --set "actortrain.model.preset=$PRESET" --set actortrain.model.device=cpu
  --set "actortrain.train.steps=$((WARMUP + STEPS))" --set "actortrain.train.micro-batch-size=$BATCH"
  --set actortrain.train.log-every=1 --set actortrain.train.eval-every=0 --set actortrain.train.eval-samples=8
  --set actortrain.train.save-every=0 --set actortrain.train.warmup-steps=1 --set actortrain.train.threads=1
  --set actortrain.data.train-size=4096 --set actortrain.data.val-size=16
  --set actortrain.job.sync.strategy=ring --set actortrain.job.sync.transport=tcp --set "actortrain.job.sync.bucket-cap=$BUCKET_CAP" --set actortrain.job.join-timeout=120s
)

# Median seconds per step of rank 0's step events after the warm-up (elapsed_s differences).
median_step() {
  python3 - "$1" "$WARMUP" <<'PY'
import json, sys, statistics
events = [json.loads(l[len("@@actortrain "):]) for l in open(sys.argv[1]) if l.startswith("@@actortrain ")]
t = {e["step"]: e["elapsed_s"] for e in events if e.get("kind") == "step"}
warm = int(sys.argv[2])
d = [t[s] - t[s - 1] for s in sorted(t) if s > warm + 1 and s - 1 in t]
if not d: sys.exit("no step events after the warm-up")
print(f"{statistics.median(d):.6f}")
PY
}

run_nodes() { # $1 = label, $2 = nnodes per job (N = one ring job, 1 = N lone jobs)
  local label="$1" nnodes="$2"
  PIDS=()
  for i in $(seq 0 $((N - 1))); do
    local host="10.78.0.$((i + 1))" seed="10.78.0.1"
    [[ "$nnodes" == 1 ]] && seed="$host"
    ip netns exec "$TAG-h$i" "$AT" node --verbose --parent-pid $$ "${COMMON[@]}" \
      --set "actortrain.cluster.hostname=$host" --set actortrain.cluster.port=2552 \
      --set "actortrain.cluster.seed-nodes=akka.tcp://actortrain@$seed:2552" \
      --set "actortrain.job.nnodes=$nnodes" --set "actortrain.job.node-rank=$([[ $nnodes == 1 ]] && echo 0 || echo "$i")" \
      --set "actortrain.job.run-dir=$WORK/$label-$i" >"$WORK/$label-$i.out" 2>"$WORK/$label-$i.err" &
    PIDS+=($!)
  done
  local rc=0
  for p in "${PIDS[@]}"; do wait "$p" || rc=1; done
  PIDS=()
  if ((rc)); then echo "slowlink: a $label node failed:" >&2; tail -n 20 "$WORK"/$label-*.err >&2; exit 1; fi
}

echo "slowlink: $N nodes in network namespaces, links: $SHAPING; $PRESET, batch $BATCH/rank, bucket cap $BUCKET_CAP, $STEPS timed steps after $WARMUP warm-up"
run_nodes ring "$N"
run_nodes alone 1

step=$(median_step "$WORK/ring-0.out")
compute=$(for i in $(seq 0 $((N - 1))); do median_step "$WORK/alone-$i.out"; done | sort -g | tail -n 1)
params=$(grep -ohE '\(([0-9,]+) parameters' "$WORK/ring-0.err" | head -n 1 | tr -dc '0-9')
[[ -n "$params" ]] || { echo "slowlink: no parameter count in the rank-0 log" >&2; exit 1; }
python3 - "$step" "$compute" "$params" "$RATE" "$N" "$SHAPING" <<'PY'
import sys, re
step, compute, params, rate, n, shaping = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
m = re.fullmatch(r"([0-9.]+)([kmg]?)bit", rate)
bits = float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2)]
grad_bytes = params * 4
ring = 2 * (n - 1) / n * grad_bytes / (bits / 8)
bound = max(compute, ring)
ratio = step / bound
print(f"gradient: {params:,} float32 parameters = {grad_bytes / 2**20:.2f} MiB; link {bits / 1e9:g} Gbit/s ({shaping})")
print(f"step time ({n}-node ring over the shaped links, median): {step * 1e3:9.1f} ms")
print(f"compute time (same nodes, each alone, median, slowest): {compute * 1e3:9.1f} ms")
print(f"ring bound 2(n-1)/n x bytes / rate:                   {ring * 1e3:9.1f} ms")
print(f"ratio step / max(compute, ring bound): {ratio:.3f}  (target <= 1.15: {'met' if ratio <= 1.15 else 'MISSED'})")
PY
