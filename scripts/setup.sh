#!/usr/bin/env bash
# Installs whatever ActorTrain needs that is missing, then builds it. Idempotent and quick when all is there.
# Sourced by ./run.sh and ./test.sh; safe to run alone: `bash scripts/setup.sh`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION="${CONFIGURATION:-Release}"

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Debian packages. libtorch itself comes from NuGet (TorchSharp + libtorch-cpu-linux-x64). patchelf and g++ let the
#    build patch TorchSharp's native library for Debian 12's older libstdc++ (build/debian12/); python3-msgpack and
#    python3-numpy (and python3-protobuf, for TensorBoard event files) are the tests' independent checkers.
APT_PACKAGES=(patchelf g++ python3 python3-msgpack python3-numpy python3-protobuf)
# PyTorch (same libtorch version) is the independent checker for optimizers, clipping and parameter names in
# the tests, and the peer in the benchmarks. ACTORTRAIN_WITH_TORCH_PY=0 skips it (those tests then say they skipped).
if [[ "${ACTORTRAIN_WITH_TORCH_PY:-1}" == "1" ]]; then APT_PACKAGES+=(python3-torch); fi
# iproute2 (ip netns, tc) builds the network namespaces of the partition test and of bench/slowlink.sh.
APT_PACKAGES+=(iproute2)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]} — run as root or: sudo apt-get install ${missing[*]}"; exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Optional: headless Chromium drives the dashboard's browser test, python3-prometheus-client parses /metrics in the
# metrics test. Where they cannot be installed (no package mirror) those checks say they skipped; nothing else needs them.
OPTIONAL_APT_PACKAGES=(chromium chromium-driver python3-prometheus-client)
missing=()
for p in "${OPTIONAL_APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})) && [[ $(id -u) -eq 0 ]]; then
  log "installing optional Debian packages: ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
    || log "could not install ${missing[*]}: the tests that need them will say they skipped"
fi

# 2. .NET: restore and build the whole solution.
command -v dotnet >/dev/null || { log "the .NET 10 SDK is required (dotnet not on PATH)"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log "building .NET solution ($CONFIGURATION)"
if ! dotnet build "$ROOT/ActorTrain.sln" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly > "$ROOT/.build.log" 2>&1; then
  cat "$ROOT/.build.log" >&2; log "build failed"; exit 1
fi
ACTORTRAIN_CLI="$ROOT/src/Cli/bin/$CONFIGURATION/net10.0/actortrain"
export ACTORTRAIN_CLI
