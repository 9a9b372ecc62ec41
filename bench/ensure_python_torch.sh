#!/usr/bin/env bash
# Makes sure Debian's python3-torch is importable from /usr/bin/python3 (the PyTorch peers need it; the python3
# first on PATH may be another interpreter). Installs it with apt-get when missing and running as root.
set -euo pipefail
if /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "python3-torch is missing for /usr/bin/python3; run as root: apt-get install -y python3-torch" >&2
  exit 1
fi
echo "installing python3-torch (Debian) for the PyTorch peers..." >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch >&2 || {
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch >&2
}
/usr/bin/python3 -c "import torch"
