#!/usr/bin/env bash
# The main job: a simulated multi-node training run on the default config (hocon/reference.conf).
# Installs and builds whatever is missing first (see scripts/setup.sh). Extra arguments go to `actortrain simulate`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/setup.sh"
exec "$ACTORTRAIN_CLI" simulate "$@"
