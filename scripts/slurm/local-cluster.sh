#!/usr/bin/env bash
# A single-node SLURM cluster on localhost, for tests: munged, slurmctld and slurmd started directly (no
# systemd), as root, with their configuration, state, pid and log files under one folder.
#   local-cluster.sh start DIR   writes DIR/slurm.conf, starts the daemons, waits (bounded) until `sinfo`
#                                shows the node idle; prints `export SLURM_CONF=DIR/slurm.conf` on stdout
#   local-cluster.sh stop DIR    stops the daemons started in DIR (by their pid files)
# Cgroup-free (proctrack/linuxproc, task/none), one node `localhost` with 2 CPUs and the memory slurmd
# detects. On failure it exits non-zero and says why on stderr (the last log lines of the daemon).
# Needs the Debian packages slurmctld, slurmd, slurm-client and munge (scripts/setup-slurm.sh).
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
WAIT="${GEM_SLURM_WAIT:-120}"

die() {
  echo "local-cluster.sh: $*" >&2
  for f in "$dir"/log/*.log; do
    [ -f "$f" ] && { echo "--- last lines of $f:" >&2; tail -n 15 "$f" >&2; }
  done
  [ "$cmd" = start ] && stop
  exit 1
}

stop() {
  for name in slurmd slurmctld munged; do
    f="$dir/run/$name.pid"
    if [ -f "$f" ]; then
      pid="$(cat "$f")"
      if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
      rm -f "$f"
    fi
  done
}

# A TCP port nobody listens on (other clusters on this machine keep theirs).
free_port() {
  local p
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "must run as root (slurmd starts jobs as their user)"
for b in munged mungekey slurmctld slurmd sinfo; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || die "$b not found: install the Debian packages slurmctld slurmd slurm-client munge (bash scripts/setup-slurm.sh)"
done
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir/munge" "$dir/run" "$dir/log" "$dir/state" "$dir/spool"
chmod 700 "$dir/munge" "$dir/run"
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
sock="$dir/munge/munge.socket"
munged --force --key-file="$dir/munge/munge.key" --socket="$sock" --pid-file="$dir/run/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" >/dev/null 2>&1 \
  || die "munged did not start"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || die "munged socket $sock did not appear"

mem="$(slurmd -C 2>/dev/null | grep -o 'RealMemory=[0-9]*' | cut -d= -f2 || true)"
[ -n "$mem" ] || mem="$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"
ctl_port="$(free_port)" || die "no free TCP port"
d_port="$(free_port)" || die "no free TCP port"
host="$(hostname -s)"
cat > "$dir/slurm.conf" <<CONF
# single-node test cluster written by scripts/slurm/local-cluster.sh
ClusterName=gemlocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$SLURM_CONF" -i >"$dir/log/slurmctld.out" 2>&1 || die "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost >"$dir/log/slurmd.out" 2>&1 || die "slurmd did not start"

state=""
for _ in $(seq "$WAIT"); do
  state="$(sinfo -h -n localhost -o '%t' 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || die "node localhost not idle after ${WAIT} s (sinfo state: '${state:-no answer}')"
echo "export SLURM_CONF=$SLURM_CONF"
