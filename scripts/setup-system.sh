#!/usr/bin/env bash
# System setup for notebooks, figure rendering and sharded runs (Debian/Ubuntu, run as root or with sudo
# available): Jupyter from Debian, chromium, and GNU parallel.
# Idempotent: installs only the missing apt packages (Jupyter from Debian + chromium), then registers
# the tslab TypeScript/JavaScript kernels for /usr/bin/python3 (per user) pointing at THIS checkout's tslab, and
# checks the result with `jupyter kernelspec list`. Called by .ci/run; safe to run again.
set -euo pipefail
export PYDEVD_DISABLE_FILE_VALIDATION=1  # silences a debugpy warning printed by ipykernel tools

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${GEM_PYTHON:-/usr/bin/python3}"
TSLAB_BIN="$ROOT/node_modules/.bin/tslab"
PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-core python3-ipython jupyter-client python3-ipykernel python3-venv jupyter-notebook chromium parallel)

bash "$ROOT/scripts/apt-missing.sh" setup-system.sh "${PACKAGES[@]}"

if [ ! -x "$TSLAB_BIN" ]; then
  echo "setup-system.sh: $TSLAB_BIN not found; run 'npm install' in $ROOT first" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import jupyter_client' 2>/dev/null; then
  echo "setup-system.sh: $PYTHON cannot import jupyter_client after installation" >&2
  exit 1
fi

# Re-registering is cheap and keeps the kernel pointed at this checkout even if it moved. Per user (as
# root: /root/.local/share/jupyter/kernels), so the system-wide kernels of other projects stay as they are.
if [ ! -f "$ROOT/lib/dist/cli/main.js" ]; then (cd "$ROOT" && npm run build); fi
node "$ROOT/lib/bin/gem-snn.js" kernel install --python="$PYTHON"

specs="$("$PYTHON" -m jupyter kernelspec list)"
echo "$specs"
if ! grep -qE '^\s*tslab\s' <<<"$specs"; then
  echo "setup-system.sh: tslab kernel not listed by 'jupyter kernelspec list'" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-system.sh: /usr/bin/chromium missing after installation" >&2
  exit 1
fi
echo "setup-system.sh: ok (kernel tslab -> $TSLAB_BIN; chromium $(/usr/bin/chromium --version 2>/dev/null | head -1))"
