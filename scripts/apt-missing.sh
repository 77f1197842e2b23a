#!/usr/bin/env bash
# Installs the Debian packages of the list that are not yet installed (as root, or through sudo).
# Usage: apt-missing.sh CALLER PACKAGE...   (CALLER names the script in messages). Idempotent.
set -euo pipefail
caller="$1"
shift
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "$caller: not root and no sudo; cannot install apt packages" >&2; exit 1; fi
fi
missing=()
for p in "$@"; do
  # dpkg-query prints "install ok installed" only for fully installed packages
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "$caller: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "$caller: apt packages already installed ($*)"
fi
