#!/usr/bin/env bash
# All-reduce side by side with torch.distributed/gloo, same machine, same sizes, interleaved rounds.
# Machines are noisy: every configuration runs ROUNDS times, alternating; the best and the median time per size are reported.
# Usage: bench/allreduce/compare_with_gloo.sh [world=4] [sizes=1MiB,16MiB,64MiB] [iterations=5] [rounds=3]
# ACTORTRAIN_BENCH_CMD overrides the ActorTrain command (default: "actortrain bench allreduce").
set -euo pipefail
world=${1:-4}
sizes=${2:-1MiB,16MiB,64MiB}
iterations=${3:-5}
rounds=${4:-3}
cmd=${ACTORTRAIN_BENCH_CMD:-actortrain bench allreduce}
# gloo runs once per round below, so the verb must not run its own peer.
cmd="$cmd --no-peer"
here=$(cd "$(dirname "$0")" && pwd)
gloo=${GLOO_BENCH:-$here/../peers/gloo_allreduce_bench.py}

to_bytes() {
  local out=() s
  IFS=, read -ra parts <<<"$1"
  for s in "${parts[@]}"; do
    case $s in
      *GiB) out+=($(( ${s%GiB} << 30 )));; *MiB) out+=($(( ${s%MiB} << 20 )));;
      *KiB) out+=($(( ${s%KiB} << 10 )));; *) out+=("$s");;
    esac
  done
  (IFS=,; echo "${out[*]}")
}
bash "$here/../ensure_python_torch.sh"
byte_sizes=$(to_bytes "$sizes")

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for round in $(seq "$rounds"); do
  echo "# round $round (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  /usr/bin/python3 "$gloo" "$world" "$byte_sizes" "$iterations" | sed 's/^gloo /gloo-tcp /' | tee -a "$log" >&2
  $cmd --world "$world" --sizes "$sizes" --iterations "$iterations" --strategy ring | tee -a "$log" >&2
  $cmd --world "$world" --sizes "$sizes" --iterations "$iterations" --strategy ring --transport tcp | tee -a "$log" >&2
  $cmd --world "$world" --sizes "$sizes" --iterations "$iterations" --strategy parameter-server | tee -a "$log" >&2
done

# Best (lowest) and median time per configuration and size, with busbw ratios to gloo's best and median.
/usr/bin/python3 - "$log" "$world" <<'PY'
import re, sys, statistics
world = int(sys.argv[2])
runs = {}
for line in open(sys.argv[1]):
    m = re.search(r"bytes=(\d+) sec=([\d.]+)", line)
    if not m: continue
    runs.setdefault((line.split(" world=")[0], int(m.group(1))), []).append(float(m.group(2)))
def busbw(size, sec): return size / sec / 1e9 * 2 * (world - 1) / world
print(f"{'configuration':58} {'bytes':>10} {'best sec':>9} {'busbw':>6} {'x gloo':>6} {'median':>9} {'busbw':>6} {'x gloo':>6}")
for (name, size), secs in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    best, median = min(secs), statistics.median(secs)
    g = runs.get(("gloo-tcp", size))
    rb = f"{min(g) / best:6.2f}" if g else "     -"
    rm = f"{statistics.median(g) / median:6.2f}" if g else "     -"
    print(f"{name:58} {size:>10} {best:9.5f} {busbw(size, best):6.3f} {rb} {median:9.5f} {busbw(size, median):6.3f} {rm}")
PY
