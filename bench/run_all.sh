#!/usr/bin/env bash
# Every ActorTrain benchmark beside its peer, each in one invocation (see bench/README.md).
# Usage: bench/run_all.sh [quick]    — "quick" runs fewer steps/sizes.
# Figures are only comparable within one invocation: the machine is shared and noisy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash bench/ensure_python_torch.sh
at=src/Cli/bin/Release/net10.0/actortrain
[ -x "$at" ] || dotnet build src/Cli/ActorTrain.Cli.csproj -c Release -v:q -clp:ErrorsOnly
steps=20; sizes=1MiB,16MiB,64MiB; ftsteps=2000
if [ "${1:-}" = quick ]; then steps=5; sizes=1MiB,16MiB; ftsteps=60; fi
echo "# $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
"$at" bench allreduce --world 4 --sizes "$sizes" --strategy ring
"$at" bench allreduce --world 4 --sizes "$sizes" --strategy ring --transport tcp
"$at" bench allreduce --world 4 --sizes "$sizes" --strategy parameter-server
"$at" bench train --batch 16 --steps "$steps" --threads 1 --rounds 2
"$at" bench ops --rounds 3
"$at" bench ddp --world 4 --batch 16 --steps "$steps" --strategy ring,parameter-server
"$at" bench ddp --world 4 --batch 2 --steps "$steps" --strategy ring,parameter-server
"$at" bench pingpong --pairs 4 --inflight 16 --processes
"$at" bench finetune --world 4 --steps "$ftsteps" --peer-steps "$steps"
