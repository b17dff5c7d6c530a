#!/usr/bin/env bash
# perfdhcp against fabric-ipam, ISC Kea (multi- and single-threaded) and dnsmasq, one after the other, on
# the same machine in the same run, each in a fresh server namespace of the same shape, with the same scope,
# the same clients and the same perfdhcp parameters. Prints leases/s at <= 2.5% loss for each (ISC's rule)
# and fabric-ipam's ratio to each peer. Needs root (namespaces, UDP 67). Called by scripts/bench.
#
#   bench/dhcp-udp.sh [RESULTS_DIR]      (default bench/results/<timestamp>/dhcp)
#
# Knobs (environment):
#   BENCH_SERVERS          servers in run order        (fabric kea-mt kea-st dnsmasq)
#   BENCH_RATES            offered rates, ascending    (100 250 500 1000 2000 3000 4000 5000 6000 8000 10000 12000 14000 16000 20000)
#   BENCH_TRIAL_SECONDS    perfdhcp -p per trial       (5)
#   BENCH_MAX_LOSS         loss % that ends the search (2.5)
#   BENCH_CLIENTS          perfdhcp -R, unique clients (1000000)
#   BENCH_RETRY_FAILED     reruns of a failing rate before the search ends (1): one noisy trial on a shared
#                          machine should not decide a server's figure; every server gets the same retries
#   BENCH_WARMUP           uncounted warm-up trial RATE:SECONDS:CLIENTS for every server (2000:30:1000);
#                          few clients, so it adds few leases; empty: none
#   BENCH_FABRIC_JAR       the service jar             (controller/target/fabric-ipam.jar)
#   BENCH_FABRIC_JAVA_OPTS extra JVM flags for fabric-ipam (none)
#   BENCH_FABRIC_ARGS      extra --fabric.* arguments for fabric-ipam (none)
#   BENCH_FABRIC_PORT      fabric-ipam's HTTP port on 127.0.0.1 (18067)
#   BENCH_LOCK_WAIT        seconds to wait for another bench run on this machine to finish (1800)
#   BENCH_WORK_DIR         where the servers' lease stores live during the run (a new directory in /tmp);
#                          e.g. a directory on tmpfs to see what the disk costs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

SERVERS=${BENCH_SERVERS:-"fabric kea-mt kea-st dnsmasq"}
RATES=${BENCH_RATES:-"100 250 500 1000 2000 3000 4000 5000 6000 8000 10000 12000 14000 16000 20000"}
TRIAL_SECONDS=${BENCH_TRIAL_SECONDS:-5}
MAX_LOSS=${BENCH_MAX_LOSS:-2.5}
CLIENTS=${BENCH_CLIENTS:-1000000}
RETRY_FAILED=${BENCH_RETRY_FAILED:-1}
WARMUP=${BENCH_WARMUP-2000:30:1000}
FABRIC_JAR=${BENCH_FABRIC_JAR:-$top/controller/target/fabric-ipam.jar}
FABRIC_JAVA_OPTS=${BENCH_FABRIC_JAVA_OPTS:-}
FABRIC_ARGS=${BENCH_FABRIC_ARGS:-}
FABRIC_PORT=${BENCH_FABRIC_PORT:-18067}
LOCK_WAIT=${BENCH_LOCK_WAIT:-1800}
OUT=${1:-$top/bench/results/$(date +%Y%m%d-%H%M%S)/dhcp}

# The lab: a veth pair, server end in fb-srv, client end in fb-cli. perfdhcp poses as a relay agent
# (-l CLI_ADDR): unicast DISCOVER/REQUEST with giaddr = CLI_ADDR, replies unicast to CLI_ADDR:67. Relay
# mode needs no broadcast and no raw sockets, and all three servers serve relayed requests.
SRV_NS=fb-srv
CLI_NS=fb-cli
SRV_IF=fbs0
CLI_IF=fbc0
PREFIX=12
NETWORK=10.64.0.0/$PREFIX
NETMASK=255.240.0.0
SRV_ADDR=10.64.0.1
CLI_ADDR=10.64.0.2
# 1,048,319 addresses: more than BENCH_CLIENTS, so no trial can exhaust the pool however the leases grow
POOL_START=10.64.1.0
POOL_END=10.79.255.254
LEASE_TIME=3600

work=""
namespaces=()
server_pid=""
perfdhcp_pid=""

log() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }
die() { echo "dhcp-udp: $*" >&2; exit 1; }

cleanup() {
  set +e
  [ -n "$perfdhcp_pid" ] && kill "$perfdhcp_pid" 2>/dev/null
  stop_server
  local ns
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  [ -n "$work" ] && rm -rf "$work"
}

# ---- the lab ------------------------------------------------------------------------------------------

lab_up() {
  local ns
  for ns in $SRV_NS $CLI_NS; do
    # we hold the bench lock, so a namespace of these names is a leftover of a run that was killed
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    namespaces+=("$ns")
    ip -n "$ns" link set lo up
  done
  ip link add $SRV_IF netns $SRV_NS type veth peer name $CLI_IF netns $CLI_NS
  ip -n $SRV_NS addr add $SRV_ADDR/$PREFIX dev $SRV_IF
  ip -n $CLI_NS addr add $CLI_ADDR/$PREFIX dev $CLI_IF
  ip -n $SRV_NS link set $SRV_IF up
  ip -n $CLI_NS link set $CLI_IF up
  # partial checksums from sockets would reach the peer unfinished on some paths (LAB-NOTES): off everywhere
  ip netns exec $SRV_NS ethtool -K $SRV_IF tx off >/dev/null
  ip netns exec $CLI_NS ethtool -K $CLI_IF tx off >/dev/null
}

lab_down() {
  local ns
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  namespaces=()
}

# ---- the servers --------------------------------------------------------------------------------------

# Starts server $1 with its state in directory $2; sets server_pid. `ip netns exec` execs the server, so
# $! is the server itself and we stop it by that PID only.
start_server() {
  local name=$1 dir=$2
  case $name in
    fabric)
      # shellcheck disable=SC2086  # the knobs are word lists on purpose
      java $FABRIC_JAVA_OPTS -jar "$FABRIC_JAR" \
        --fabric.data-dir="$dir/data" --server.port="$FABRIC_PORT" --server.address=127.0.0.1 \
        --fabric.dhcp.udp.interfaces=$SRV_IF --fabric.dhcp.udp.network-namespace=$SRV_NS \
        --fabric.scopes[0].name=bench --fabric.scopes[0].network=$NETWORK \
        --fabric.scopes[0].gateway=$SRV_ADDR \
        --fabric.scopes[0].pools[0].start=$POOL_START --fabric.scopes[0].pools[0].end=$POOL_END \
        --fabric.scopes[0].lease-time=$LEASE_TIME $FABRIC_ARGS >"$dir/server.log" 2>&1 &
      server_pid=$!
      ;;
    kea-mt | kea-st)
      local mt=true threads=2 queue=64
      [ "$name" = kea-st ] && mt=false
      sed -e "s|@IFACE@|$SRV_IF|; s|@LEASEFILE@|$dir/kea-leases4.csv|; s|@MT@|$mt|" \
          -e "s|@THREADS@|$threads|; s|@QUEUE@|$queue|; s|@LEASETIME@|$LEASE_TIME|; s|@NETWORK@|$NETWORK|" \
          -e "s|@POOLSTART@|$POOL_START|; s|@POOLEND@|$POOL_END|; s|@GATEWAY@|$SRV_ADDR|; s|@LOG@|$dir/kea.log|" \
          "$here/kea/kea-dhcp4.json.in" >"$dir/kea-dhcp4.json"
      # Kea writes its lock and PID files to /run unless told otherwise: keep them in the run's directory
      ip netns exec $SRV_NS env KEA_LOCKFILE_DIR="$dir" KEA_PIDFILE_DIR="$dir" \
        kea-dhcp4 -t "$dir/kea-dhcp4.json" >"$dir/config-check.log" 2>&1 \
        || { cat "$dir/config-check.log" >&2; die "kea-dhcp4 -t rejected $dir/kea-dhcp4.json"; }
      ip netns exec $SRV_NS env KEA_LOCKFILE_DIR="$dir" KEA_PIDFILE_DIR="$dir" \
        kea-dhcp4 -c "$dir/kea-dhcp4.json" >"$dir/server.log" 2>&1 &
      server_pid=$!
      ;;
    dnsmasq)
      # --no-ping: its ping check holds every new client ~3 s (LAB-NOTES); --quiet-dhcp: no log line per
      # lease (Kea runs at WARN, fabric-ipam logs leases at DEBUG only); lease-max above the pool
      ip netns exec $SRV_NS dnsmasq --no-daemon --conf-file=/dev/null --port=0 --no-ping --quiet-dhcp \
        --interface=$SRV_IF --dhcp-range=$POOL_START,$POOL_END,$NETMASK,$LEASE_TIME \
        --dhcp-option=option:router,$SRV_ADDR --dhcp-lease-max=2000000 \
        --dhcp-leasefile="$dir/dnsmasq.leases" --pid-file="$dir/dnsmasq.pid" \
        --log-facility="$dir/dnsmasq.log" >"$dir/server.log" 2>&1 &
      server_pid=$!
      ;;
    *) die "unknown server '$name' (fabric, kea-mt, kea-st, dnsmasq)" ;;
  esac
  await_server "$name" "$dir"
}

# Ready when something listens on UDP 67 in the server namespace (and, for fabric-ipam, health is UP).
await_server() {
  local name=$1 dir=$2 i
  for i in $(seq 1 240); do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$dir/server.log" >&2; die "$name exited while starting"; }
    if [ -n "$(ip netns exec $SRV_NS ss -Hlun 'sport = :67')" ]; then
      [ "$name" != fabric ] && return 0
      curl -fsS --max-time 2 "http://127.0.0.1:$FABRIC_PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && return 0
    fi
    sleep 0.5
  done
  tail -20 "$dir/server.log" >&2
  die "$name not ready after 120 s"
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  local i
  kill "$server_pid" 2>/dev/null || true
  for i in $(seq 1 40); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# What each server keeps on disk, to show that leases grew across the trials.
lease_store_size() {
  local name=$1 dir=$2
  case $name in
    fabric) du -sh "$dir/data" | awk '{print "H2 database " $1}' ;;
    kea-*) echo "lease file $(($(wc -l <"$dir/kea-leases4.csv") - 1)) lines (appended, one per lease change)" ;;
    dnsmasq) echo "lease file $(wc -l <"$dir/dnsmasq.leases") leases (rewritten on every change)" ;;
  esac
}

# ---- one trial ----------------------------------------------------------------------------------------

# UDP counters of a namespace (absolute, without touching nstat's history file, which all namespaces share).
udp_counters() {
  ip netns exec "$1" nstat -asz 2>/dev/null | awk '$1 ~ /^Udp(InDatagrams|RcvbufErrors|SndbufErrors|InErrors)$/ {print $1, $2}'
}

counter() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

scrape_fabric() {
  curl -fsS --max-time 5 "http://127.0.0.1:$FABRIC_PORT/actuator/prometheus" >"$1" 2>/dev/null || : >"$1"
}

# Runs perfdhcp in the client namespace for one trial into $1 (its report), and samples the CPU of the
# server, perfdhcp and the machine over the middle of the trial (not start-up or tail) into $work/cpu.txt.
run_perfdhcp() {
  local report=$1 rate=$2 secs=$3 clients=$4 i
  : >"$work/cpu.txt"
  ip netns exec $CLI_NS perfdhcp -4 -r "$rate" -p "$secs" -R "$clients" -l $CLI_ADDR $SRV_ADDR >"$report" 2>&1 &
  perfdhcp_pid=$!
  if [ "$secs" -ge 3 ]; then
    sleep 1
    "$here/proc_cpu.py" snap "$server_pid" "$perfdhcp_pid" >"$work/cpu.before" 2>/dev/null
    sleep $((secs - 2))
    "$here/proc_cpu.py" snap "$server_pid" "$perfdhcp_pid" >"$work/cpu.after" 2>/dev/null \
      && "$here/proc_cpu.py" diff "$work/cpu.before" "$work/cpu.after" >"$work/cpu.txt" 2>/dev/null
  fi
  # bounded: perfdhcp stops itself after -p seconds; give it 20 s more, then stop it
  for i in $(seq 1 $(((secs + 20) * 4))); do
    kill -0 "$perfdhcp_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill "$perfdhcp_pid" 2>/dev/null && echo "perfdhcp did not finish in time: stopped" >>"$report"
  wait "$perfdhcp_pid" 2>/dev/null || true
  perfdhcp_pid=""
}

# A figure from $work/cpu.txt (proc_cpu.py diff): machine, server, perfdhcp (CPU %) or wrote (server MiB).
cpu_figure() {
  local v
  case $1 in
    machine) v=$(sed -n 's/^machine: \([0-9]*\)%.*/\1/p' "$work/cpu.txt") ;;
    server) v=$(sed -n "s/^.*(pid $server_pid): \([0-9]*\)%.*/\1/p" "$work/cpu.txt") ;;
    perfdhcp) v=$(sed -n "s/^.*(pid [0-9]*): \([0-9]*\)%.*/\1/p" "$work/cpu.txt" | sed -n 2p) ;;
    wrote) v=$(sed -n "s/^.*(pid $server_pid): .* wrote \([0-9.]*\) MiB.*/\1/p" "$work/cpu.txt") ;;
  esac
  echo "${v:--}"
}

# trial SERVER TAG RATE SECONDS CLIENTS: one perfdhcp run; appends a row to trials.tsv, prints a line,
# and succeeds when the trial passed ISC's rule.
trial() {
  local name=$1 tag=$2 rate=$3 secs=$4 clients=$5
  local id="$name-$tag-$rate"
  local report="$OUT/trials/$id.perfdhcp.txt" detail="$OUT/trials/$id.detail.txt"
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  udp_counters $SRV_NS >"$work/srv.before"
  udp_counters $CLI_NS >"$work/cli.before"
  [ "$name" = fabric ] && scrape_fabric "$work/prom.before"

  run_perfdhcp "$report" "$rate" "$secs" "$clients"

  udp_counters $SRV_NS >"$work/srv.after"
  udp_counters $CLI_NS >"$work/cli.after"
  local got acks loss do_sent do_recv ra_sent ra_recv do_avg do_max ra_avg ra_max status
  IFS=$'\t' read -r got acks loss do_sent do_recv ra_sent ra_recv do_avg do_max ra_avg ra_max status \
    <<<"$("$here/perfdhcp_parse.py" "$report" "$secs")"
  local srv_rcvbuf=$(($(counter "$work/srv.after" UdpRcvbufErrors) - $(counter "$work/srv.before" UdpRcvbufErrors)))
  local cli_rcvbuf=$(($(counter "$work/cli.after" UdpRcvbufErrors) - $(counter "$work/cli.before" UdpRcvbufErrors)))
  local cpu_srv cpu_cli cpu_box wrote cpu_secs=-
  cpu_srv=$(cpu_figure server)
  cpu_cli=$(cpu_figure perfdhcp)
  cpu_box=$(cpu_figure machine)
  wrote=$(cpu_figure wrote)
  [ -s "$work/cpu.txt" ] && cpu_secs=$((secs - 2))
  local prom_text=""
  if [ "$name" = fabric ]; then
    scrape_fabric "$work/prom.after"
    prom_text=$("$here/prom.py" trial "$work/prom.before" "$work/prom.after" 2>/dev/null || true)
    cp "$work/prom.after" "$OUT/trials/$id.prometheus.txt"
    printf '%s\t%s\t%s\n' "$name" "$tag-$rate" "$(head -1 <<<"$prom_text")" >>"$OUT/fabric-latency.tsv"
  fi
  {
    echo "$id: offered $rate/s for $secs s, $clients clients, load $load"
    cat "$report"
    echo "--- UDP counters (server namespace, then client namespace), after the trial"
    cat "$work/srv.after" "$work/cli.after" "$work/cpu.txt"
    echo "$prom_text"
  } >"$detail"

  printf '%s\t' "$name" "$tag" "$rate" "$got" "$acks" "$loss" "$do_sent" "$do_recv" "$ra_sent" "$ra_recv" \
    "$do_avg" "$do_max" "$ra_avg" "$ra_max" "$status" "$cpu_srv" "$cpu_cli" "$cpu_box" \
    "$srv_rcvbuf" "$cli_rcvbuf" "$wrote" "$cpu_secs" >>"$OUT/trials.tsv"
  printf '%s\n' "$load" >>"$OUT/trials.tsv"

  log "$(printf '  %-8s %-7s %6s/s -> %6s/s  loss %6s%%  delay avg/max ms: DO %s/%s RA %s/%s  cpu%%: server %s perfdhcp %s machine %s  rcvbuf-drops srv %s cli %s  load %s%s' \
    "$name" "$tag" "$rate" "$got" "$loss" "$do_avg" "$do_max" "$ra_avg" "$ra_max" "$cpu_srv" "$cpu_cli" \
    "$cpu_box" "$srv_rcvbuf" "$cli_rcvbuf" "$load" "$([ "$status" = ok ] || echo "  [$status]")")"
  if [ -s "$work/cpu.txt" ]; then
    log "$(grep -E "\(pid $server_pid\)|^  threads of $server_pid:" "$work/cpu.txt" | sed 's/^ */             /')"
  fi
  [ -n "$prom_text" ] && log "$(sed 's/^/             /' <<<"$prom_text")"
  [ "$status" = ok ] && awk -v l="$loss" -v m="$MAX_LOSS" 'BEGIN { exit !(l <= m) }'
}

# ---- one server: fresh lab, fresh state, warm-up, rate search -----------------------------------------

bench_server() {
  local name=$1
  local dir="$work/$name"
  mkdir -p "$dir"
  lab_up
  start_server "$name" "$dir"
  log ""
  log "== $name (pid $server_pid)"
  if [ -n "$WARMUP" ]; then
    IFS=: read -r wrate wsecs wclients <<<"$WARMUP"
    trial "$name" warmup "$wrate" "$wsecs" "$wclients" || true
  fi
  local rate tries tag
  for rate in $RATES; do
    tries=0
    tag=trial
    until trial "$name" "$tag" "$rate" "$TRIAL_SECONDS" "$CLIENTS"; do
      tries=$((tries + 1))
      tag=retry$tries
      if [ "$tries" -gt "$RETRY_FAILED" ]; then
        log "  $name: more than $MAX_LOSS% lost at $rate/s: search ends"
        break 2
      fi
    done
  done
  log "  $name: $(lease_store_size "$name" "$dir")"
  if [ "$name" = fabric ]; then
    scrape_fabric "$OUT/fabric-final.prometheus.txt"
    log "  fabric-ipam drop counters since start (fabric_dhcp_drops_total by reason): $("$here/prom.py" drops "$OUT/fabric-final.prometheus.txt")"
    grep -E 'Started|serving DHCP' "$dir/server.log" | sed 's/^.*\] /  /' | tee -a "$OUT/summary.txt" || true
  fi
  stop_server
  # logs and configs stay with the results; the lease stores go with the work directory
  for f in "$dir"/*.log "$dir"/*.json; do [ -f "$f" ] && cp "$f" "$OUT/servers/$name-$(basename "$f")"; done
  lab_down
}

main() {
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, UDP port 67)"
  local cmd
  for cmd in perfdhcp kea-dhcp4 dnsmasq ethtool nstat ss curl java; do
    command -v $cmd >/dev/null || die "$cmd not found (scripts/bench installs what is missing)"
  done
  [ -f "$FABRIC_JAR" ] || die "no $FABRIC_JAR: build it with mvn -q -DskipTests package"
  mkdir -p "$OUT/trials" "$OUT/servers"
  : >"$OUT/summary.txt"
  # one bench at a time on a machine: two would share the CPUs and the namespace names
  exec 9>/run/fabric-bench.lock
  if ! flock -n 9; then
    echo "dhcp-udp: another bench run holds /run/fabric-bench.lock; waiting up to $LOCK_WAIT s for it" >&2
    flock -w "$LOCK_WAIT" 9 || die "the other bench run still holds /run/fabric-bench.lock after $LOCK_WAIT s"
  fi
  if ss -Hltn "sport = :$FABRIC_PORT" | grep -q .; then die "port $FABRIC_PORT is taken: set BENCH_FABRIC_PORT"; fi
  work=$(mktemp -d "${BENCH_WORK_DIR:-/tmp}/fabric-bench.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  printf 'server\ttag\toffered\trate\tacks_per_s\tloss_pct\tdo_sent\tdo_recv\tra_sent\tra_recv\tdo_avg_ms\tdo_max_ms\tra_avg_ms\tra_max_ms\tstatus\tcpu_server\tcpu_perfdhcp\tcpu_machine\tsrv_rcvbuf_errs\tcli_rcvbuf_errs\tsrv_wrote_mib\tcpu_window_s\tload\n' >"$OUT/trials.tsv"
  {
    echo "date=$(date -Is)"
    echo "nproc=$(nproc)"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel=$(uname -r)"
    echo "kea=$(kea-dhcp4 -v 2>&1 | head -1)"
    echo "dnsmasq=$(dnsmasq -v | head -1 | awk '{print $3}')"
    echo "perfdhcp=$(perfdhcp -v 2>&1 | head -1 | sed 's/^VERSION: //')"
    echo "java=$(java -version 2>&1 | head -1)"
    echo "fabric_java_opts=${FABRIC_JAVA_OPTS:-none}"
    echo "fabric_args=${FABRIC_ARGS:-none}"
    echo "trial_seconds=$TRIAL_SECONDS"
    echo "clients=$CLIENTS"
    echo "max_loss=$MAX_LOSS"
    echo "warmup=${WARMUP:-none}"
    echo "retry_failed=$RETRY_FAILED"
    echo "servers=$SERVERS"
    echo "work_dir=$work ($(df --output=fstype "$work" | tail -1))"
  } >"$OUT/meta.txt"

  log "== DHCP: perfdhcp against $(echo $SERVERS | sed 's/ /, /g'), one after the other"
  log "   lab: veth pair, server in namespace $SRV_NS ($SRV_IF $SRV_ADDR/$PREFIX), perfdhcp in $CLI_NS ($CLI_IF $CLI_ADDR/$PREFIX)"
  log "   mode: RELAY (perfdhcp -l $CLI_ADDR $SRV_ADDR: unicast, giaddr $CLI_ADDR, replies to $CLI_ADDR:67)"
  log "   scope $NETWORK, pool $POOL_START-$POOL_END (1,048,319 addresses), lease time $LEASE_TIME s, every server"
  log "   trials: perfdhcp -4 -r RATE -p $TRIAL_SECONDS -R $CLIENTS; rates $RATES; search ends when more than"
  log "   $MAX_LOSS% of exchanges lose their ACK (after $RETRY_FAILED rerun); warm-up (uncounted) ${WARMUP:-none} (rate:s:clients)"
  log "   fresh server and lease store per server, kept across its trials: leases accumulate (realistic);"
  log "   lease stores in $(sed -n 's/^work_dir=//p' "$OUT/meta.txt")"
  log "   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(sed -n 's/^kea=/Kea /p' "$OUT/meta.txt"), dnsmasq $(sed -n 's/^dnsmasq=//p' "$OUT/meta.txt"), perfdhcp $(sed -n 's/^perfdhcp=//p' "$OUT/meta.txt")"
  log "   fabric-ipam JVM flags: ${FABRIC_JAVA_OPTS:-none (defaults)}; extra arguments: ${FABRIC_ARGS:-none}"
  log "   per trial: offered -> achieved 4-way exchanges/s (perfdhcp), loss = 1 - ACKs/DISCOVERs"

  local s
  for s in $SERVERS; do
    bench_server "$s"
  done
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"
  log ""
  "$here/summary.py" "$OUT" | tee -a "$OUT/summary.txt"
  echo "results in $OUT"
}

main "$@"
