#!/usr/bin/env bash
# Installs what the cluster tests need (Debian/Ubuntu, as root or with sudo): SLURM's controller, node
# daemon and client commands, and munge (their authentication). Idempotent. The tests start a
# single-node cluster themselves (scripts/slurm/local-cluster.sh); nothing is started here.
set -euo pipefail
PACKAGES=(slurmctld slurmd slurm-client munge)

# policy-rc.d or no systemd: the packages' own services are not started (the tests start their daemons)
bash "$(dirname "${BASH_SOURCE[0]}")/apt-missing.sh" setup-slurm.sh "${PACKAGES[@]}"
for b in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sbatch /usr/bin/sinfo; do
  [ -x "$b" ] || { echo "setup-slurm.sh: $b missing after installation" >&2; exit 1; }
done
echo "setup-slurm.sh: ok ($(/usr/sbin/slurmctld -V 2>/dev/null), $(/usr/sbin/munged -V 2>/dev/null | head -1))"
