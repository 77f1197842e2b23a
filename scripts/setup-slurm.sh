#!/usr/bin/env bash
# Installs what the cluster tests need (Debian/Ubuntu, as root or with sudo): SLURM's controller, node
# daemon and client commands, and munge (their authentication). Idempotent. The tests start a
# single-node cluster themselves (scripts/slurm/local-cluster.sh); nothing is started here.
set -euo pipefail
PACKAGES=(slurmctld slurmd slurm-client munge)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-slurm.sh: not root and no sudo; cannot install apt packages" >&2; exit 1; fi
fi
missing=()
for p in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-slurm.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # policy-rc.d or no systemd: the packages' own services are not started (the tests start their daemons)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup-slurm.sh: apt packages already installed (${PACKAGES[*]})"
fi
for b in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sbatch /usr/bin/sinfo; do
  [ -x "$b" ] || { echo "setup-slurm.sh: $b missing after installation" >&2; exit 1; }
done
echo "setup-slurm.sh: ok ($(/usr/sbin/slurmctld -V 2>/dev/null), $(/usr/sbin/munged -V 2>/dev/null | head -1))"
