#!/usr/bin/env bash
# The punt path, measured: perfdhcp in a guest namespace on an Open vSwitch bridge (userspace datapath)
# against, one after the other in the same run, with the same scope and the same perfdhcp parameters:
#   kea         ISC Kea 2.2 (kea-dhcp4, memfile, multi-threaded) in another guest namespace on the same
#               bridge, which just switches (the direct path)
#   fabric-udp  fabric-ipam serving that same guest namespace through its UDP front end (direct path)
#   fabric      fabric-ipam as the bridge's OpenFlow controller: DHCP punted (packet-in), answered by
#               packet-out (the punt path)
#   ovn         OVN's native DHCP (ovn-controller answers in the switch) on an OVN-made netdev bridge,
#               when ovn-central and ovn-host are installed (BENCH_OVN=install installs them)
# For each: leases/s at <= 2.5% loss (rate search, ISC's rule), p50/p99 DISCOVER-to-ACK as perfdhcp sees
# it, fabric-ipam's own histogram for its share, and the ratios. Goal: the punt path costs less than 2x
# the direct path. Needs root. Called by scripts/bench (`scripts/bench punt`); runnable alone:
#
#   bench/dhcp-punt.sh [RESULTS_DIR]      (default bench/results/<timestamp>/punt)
#
# Knobs (environment):
#   BENCH_PUNT_PEERS       peers in run order            (kea fabric-udp fabric ovn)
#   BENCH_RATES            offered rates, ascending      (250 500 1000 1500 2000 2500 3000 4000 5000 6000 8000 10000 12000 14000)
#   BENCH_TRIAL_SECONDS    perfdhcp -p per trial         (5)
#   BENCH_MAX_LOSS         loss % that ends the search   (2.5)
#   BENCH_CLIENTS          perfdhcp -R, unique clients   (1000000; OVN: 1, it answers one MAC per port)
#   BENCH_RETRY_FAILED     reruns of a failing rate      (1)
#   BENCH_WARMUP           uncounted warm-up RATE:SECONDS:CLIENTS per peer (1000:10:1000; empty: none)
#   BENCH_FABRIC_JAR       the service jar               (controller/target/fabric-ipam.jar)
#   BENCH_FABRIC_JAVA_OPTS extra JVM flags               (none)
#   BENCH_FABRIC_ARGS      extra --fabric.* arguments    (none)
#   BENCH_FABRIC_PORT      fabric-ipam's HTTP port       (18068)
#   BENCH_OPENFLOW_PORT    fabric-ipam's OpenFlow port   (26660)
#   BENCH_OVN              auto: OVN when installed; install: apt-get install ovn-central ovn-host
#                          first; off: never                                               (auto)
#
# perfdhcp always poses as a relay agent (giaddr = its own address). To be punted it sends from port
# 68 (-L 68), as a client does; every server then answers the relay, at giaddr port 67, where a socat
# in the client namespace hands each reply to perfdhcp's port 68. The client side is the same for every
# peer (OVN answers the client's port 68 itself, so it needs no socat). Everything runs inside the
# namespaces and bridges made here (names fbp*); OVS is shared: it is started when down, never stopped,
# and the switch-wide settings OVN changes are saved and restored.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

PEERS=${BENCH_PUNT_PEERS:-"kea fabric-udp fabric ovn"}
RATES=${BENCH_RATES:-"250 500 1000 1500 2000 2500 3000 4000 5000 6000 8000 10000 12000 14000"}
TRIAL_SECONDS=${BENCH_TRIAL_SECONDS:-5}
MAX_LOSS=${BENCH_MAX_LOSS:-2.5}
CLIENTS=${BENCH_CLIENTS:-1000000}
RETRY_FAILED=${BENCH_RETRY_FAILED:-1}
WARMUP=${BENCH_WARMUP-1000:10:1000}
FABRIC_JAR=${BENCH_FABRIC_JAR:-$top/controller/target/fabric-ipam.jar}
FABRIC_JAVA_OPTS=${BENCH_FABRIC_JAVA_OPTS:-}
FABRIC_ARGS=${BENCH_FABRIC_ARGS:-}
FABRIC_PORT=${BENCH_FABRIC_PORT:-18068}
OPENFLOW_PORT=${BENCH_OPENFLOW_PORT:-26660}
OVN=${BENCH_OVN:-auto}
OUT=${1:-$top/bench/results/$(date +%Y%m%d-%H%M%S)/punt}

# The lab: bridge fbp-br; perfdhcp in fbp-cli (port 1), the direct servers in fbp-srv (port 2).
BRIDGE=fbp-br
CLI_NS=fbp-cli
SRV_NS=fbp-srv
CLI_IF=fbpc
SRV_IF=fbps
CLI_MAC=02:fb:00:00:00:01
SRV_MAC=02:fb:00:00:00:02
PREFIX=12
NETWORK=10.64.0.0/$PREFIX
SRV_ADDR=10.64.0.1
CLI_ADDR=10.64.0.2
POOL_START=10.64.1.0
POOL_END=10.79.255.254
LEASE_TIME=3600
# OVN: its own bridge (ovn-bridge) and namespace; the logical port owns the client's MAC and address
OVN_BRIDGE=fbp-int
OVN_NS=fbp-ocli
OVN_IF=fbpo
OVN_MAC=02:fb:00:00:00:11

work=""
namespaces=()
server_pid=""
socat_pid=""
perfdhcp_pid=""
ovn_saved=""

log() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }
die() { echo "dhcp-punt: $*" >&2; exit 1; }

# Waits up to $2 tenths of a second for process $1 to end; false if it is still running.
await_exit() {
  local i
  for i in $(seq 1 "$2"); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

stop_pid() {
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  await_exit "$1" 100 || kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null || true
}

cleanup() {
  set +e
  stop_pid "$perfdhcp_pid"
  stop_pid "$socat_pid"
  stop_pid "$server_pid"
  ovn_down
  ovs-vsctl --timeout=10 --if-exists del-br $BRIDGE
  local ns
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  [ -n "$work" ] && rm -rf "$work"
}

# ---- the lab ------------------------------------------------------------------------------------------

ensure_ovs() {
  if ! ovs-vsctl --timeout=3 show >/dev/null 2>&1; then
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random --no-monitor >"$work/ovs-ctl.log" 2>&1 \
      || { cat "$work/ovs-ctl.log" >&2; die "could not start Open vSwitch"; }
  fi
}

# guest NS IFACE MAC ADDR BRIDGE OFPORT [ovs-vsctl Interface settings...]: a namespace on a bridge port
guest() {
  local ns=$1 iface=$2 mac=$3 addr=$4 bridge=$5 ofport=$6
  shift 6
  ip netns del "$ns" 2>/dev/null || true   # we hold the bench lock: a leftover of a killed run
  ip netns add "$ns"
  namespaces+=("$ns")
  ip -n "$ns" link set lo up
  ip link add "$ns" type veth peer name "$iface" netns "$ns"
  ip -n "$ns" link set "$iface" address "$mac"
  ip -n "$ns" addr add "$addr/$PREFIX" dev "$iface"
  # partial checksums from sockets would cross the userspace datapath unfinished (LAB-NOTES): off
  ip netns exec "$ns" ethtool -K "$iface" tx off >/dev/null
  ethtool -K "$ns" tx off >/dev/null
  ip -n "$ns" link set "$iface" up
  ip link set "$ns" up
  ovs-vsctl add-port "$bridge" "$ns" -- set Interface "$ns" ofport_request="$ofport" "$@"
}

lab_up() {
  ovs-vsctl --if-exists del-br $BRIDGE
  ovs-vsctl add-br $BRIDGE -- set Bridge $BRIDGE datapath_type=netdev fail_mode=secure protocols=OpenFlow13 \
    other-config:datapath-id=00000000000fb901
  guest $CLI_NS $CLI_IF $CLI_MAC $CLI_ADDR $BRIDGE 1
  guest $SRV_NS $SRV_IF $SRV_MAC $SRV_ADDR $BRIDGE 2
  # every reply goes to the relay address, port 67; perfdhcp listens on 68 (see the header)
  ip netns exec $CLI_NS socat -u UDP4-RECV:67,bind=$CLI_ADDR,rcvbuf=8388608 UDP4-SENDTO:$CLI_ADDR:68 \
    >"$work/socat.log" 2>&1 &
  socat_pid=$!
}

# The direct path: the bridge just switches (one flow, NORMAL, not ours), nobody controls it.
bridge_direct() {
  ovs-vsctl del-controller $BRIDGE
  ovs-ofctl -O OpenFlow13 del-flows $BRIDGE
  ovs-ofctl -O OpenFlow13 add-flow $BRIDGE "priority=0,actions=NORMAL"
}

# The punt path: fabric-ipam controls the bridge (a new Controller row: OVS connects at once).
bridge_punt() {
  ovs-vsctl del-controller $BRIDGE
  ovs-vsctl -- --id=@c create Controller target="\"tcp:127.0.0.1:$OPENFLOW_PORT\"" max_backoff=1000 \
    -- set Bridge $BRIDGE controller=@c >/dev/null
  local i
  for i in $(seq 1 300); do
    if ovs-ofctl -O OpenFlow13 dump-flows $BRIDGE cookie=0xfab1dc0000000000/0xffffff0000000000 2>/dev/null \
        | grep -q 'in_port=1,.*CONTROLLER'; then
      return 0
    fi
    sleep 0.1
  done
  die "fabric-ipam did not program $BRIDGE within 30 s"
}

# ---- the servers --------------------------------------------------------------------------------------

fabric_start() {
  local dir=$1 mode=$2
  local front=()
  case $mode in
    udp) front=(--fabric.openflow.enabled=false --fabric.dhcp.udp.interfaces=$SRV_IF
                --fabric.dhcp.udp.network-namespace=$SRV_NS) ;;
    # the meters stay in the pipeline, set far above the offered rates (their default, 100/s a guest
    # port, is the starvation guard and would be the figure otherwise)
    punt) front=(--fabric.openflow.address=127.0.0.1 --fabric.openflow.port=$OPENFLOW_PORT
                 --fabric.openflow.meters.rate=1000000 --fabric.openflow.meters.burst=100000) ;;
  esac
  # shellcheck disable=SC2086  # the knobs are word lists on purpose
  java $FABRIC_JAVA_OPTS -jar "$FABRIC_JAR" \
    --fabric.data-dir="$dir/data" --server.port="$FABRIC_PORT" --server.address=127.0.0.1 "${front[@]}" \
    --fabric.storage.redirector.listen=127.0.0.1:0 \
    --fabric.scopes[0].name=bench --fabric.scopes[0].network=$NETWORK --fabric.scopes[0].gateway=$SRV_ADDR \
    --fabric.scopes[0].pools[0].start=$POOL_START --fabric.scopes[0].pools[0].end=$POOL_END \
    --fabric.scopes[0].lease-time=$LEASE_TIME $FABRIC_ARGS >"$dir/server.log" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 1 240); do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$dir/server.log" >&2; die "fabric-ipam exited while starting"; }
    curl -fsS --max-time 2 "http://127.0.0.1:$FABRIC_PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && return 0
    sleep 0.5
  done
  die "fabric-ipam not healthy after 120 s"
}

kea_start() {
  local dir=$1
  sed -e "s|@IFACE@|$SRV_IF|; s|@DIR@|$dir|g; s|@LEASETIME@|$LEASE_TIME|; s|@NETWORK@|$NETWORK|" \
      -e "s|@POOLSTART@|$POOL_START|; s|@POOLEND@|$POOL_END|; s|@GATEWAY@|$SRV_ADDR|" \
      "$here/punt/kea-dhcp4.json.in" >"$dir/kea-dhcp4.json"
  # Kea writes its lock and PID files to /run unless told otherwise: keep them in the run's directory
  ip netns exec $SRV_NS env KEA_LOCKFILE_DIR="$dir" KEA_PIDFILE_DIR="$dir" kea-dhcp4 -t "$dir/kea-dhcp4.json" \
    >"$dir/config-check.log" 2>&1 || { cat "$dir/config-check.log" >&2; die "kea-dhcp4 -t rejected its config"; }
  ip netns exec $SRV_NS env KEA_LOCKFILE_DIR="$dir" KEA_PIDFILE_DIR="$dir" kea-dhcp4 -c "$dir/kea-dhcp4.json" \
    >"$dir/server.log" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$dir/server.log" >&2; die "kea-dhcp4 exited while starting"; }
    [ -n "$(ip netns exec $SRV_NS ss -Hlun 'sport = :67')" ] && return 0
    sleep 0.1
  done
  die "kea-dhcp4 not listening after 10 s"
}

# ---- OVN's native DHCP ----------------------------------------------------------------------------------

ovn_available() {
  case $OVN in
    off) return 1 ;;
    install)
      if ! command -v ovn-controller >/dev/null || ! command -v ovn-northd >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ovn-central ovn-host >/dev/null
      fi ;;
  esac
  command -v ovn-controller >/dev/null && command -v ovn-northd >/dev/null && command -v ovn-nbctl >/dev/null
}

# NB and SB databases and northd of our own (sockets in the work directory), then ovn-controller on the
# shared vswitchd, which makes bridge $OVN_BRIDGE. ovn-controller changes switch-wide settings (the
# Open_vSwitch row's external_ids and other_config, e.g. other_config:vlan-limit=0, which every bridge
# sees): they are saved here and put back by ovn_down.
ovn_up() {
  local d=$work/ovn
  mkdir -p "$d"
  ovn_saved="$(ovs-vsctl get Open_vSwitch . external_ids)|$(ovs-vsctl get Open_vSwitch . other_config)"
  echo "$ovn_saved" >"$OUT/ovs-settings-before-ovn.txt"
  ovsdb-tool create "$d/nb.db" /usr/share/ovn/ovn-nb.ovsschema
  ovsdb-tool create "$d/sb.db" /usr/share/ovn/ovn-sb.ovsschema
  # OVN_RUNDIR: the daemons' control sockets go to the work directory too
  export OVN_RUNDIR=$d
  {
    ovsdb-server --remote=punix:"$d/nb.sock" --pidfile="$d/nb.pid" --unixctl="$d/nb.ctl" --log-file="$d/nb.log" \
      --detach "$d/nb.db"
    ovsdb-server --remote=punix:"$d/sb.sock" --pidfile="$d/sb.pid" --unixctl="$d/sb.ctl" --log-file="$d/sb.log" \
      --detach "$d/sb.db"
    ovn-northd --ovnnb-db=unix:"$d/nb.sock" --ovnsb-db=unix:"$d/sb.sock" --pidfile="$d/northd.pid" \
      --log-file="$d/northd.log" --detach
  } >>"$d/start.log" 2>&1
  ovs-vsctl set Open_vSwitch . external_ids:ovn-remote=unix:"$d/sb.sock" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip=127.0.0.1 external_ids:ovn-bridge=$OVN_BRIDGE \
    external_ids:ovn-bridge-datapath-type=netdev
  ovn-controller unix:/var/run/openvswitch/db.sock --pidfile="$d/controller.pid" --log-file="$d/controller.log" \
    --detach >>"$d/start.log" 2>&1
  local i
  for i in $(seq 1 100); do
    ovs-vsctl br-exists $OVN_BRIDGE 2>/dev/null && break
    sleep 0.1
  done
  ovs-vsctl br-exists $OVN_BRIDGE || die "ovn-controller made no bridge $OVN_BRIDGE"
  local nb=(ovn-nbctl --db=unix:"$d/nb.sock")
  "${nb[@]}" ls-add fbp-ls
  "${nb[@]}" lsp-add fbp-ls fbp-lp1
  "${nb[@]}" lsp-set-addresses fbp-lp1 "$OVN_MAC $CLI_ADDR"
  local opts
  opts=$("${nb[@]}" dhcp-options-create $NETWORK)
  [ -n "$opts" ] || opts=$("${nb[@]}" --bare --columns=_uuid find dhcp_options cidr="$NETWORK")
  "${nb[@]}" dhcp-options-set-options "$opts" server_id=$SRV_ADDR server_mac=02:fb:00:00:00:fe \
    lease_time=$LEASE_TIME router=$SRV_ADDR
  "${nb[@]}" lsp-set-dhcpv4-options fbp-lp1 "$opts"
  guest $OVN_NS $OVN_IF $OVN_MAC $CLI_ADDR $OVN_BRIDGE 10 external_ids:iface-id=fbp-lp1
  # bound when the port is claimed and its flows are in (OVN marks the Interface ovn-installed)
  for i in $(seq 1 200); do
    [ "$(ovs-vsctl get Interface $OVN_NS external_ids:ovn-installed 2>/dev/null)" = '"true"' ] && return 0
    sleep 0.1
  done
  die "OVN did not bind the port within 20 s (see $d/controller.log)"
}

ovn_down() {
  local d=$work/ovn f
  [ -n "$ovn_saved" ] || return 0
  # a plain exit (not --restart): ovn-controller removes its chassis and leaves the bridge to us
  [ -f "$d/controller.pid" ] && ovn-appctl -t "$d/ovn-controller.$(cat "$d/controller.pid").ctl" exit >/dev/null 2>&1
  for f in controller northd nb sb; do
    stop_pid "$(cat "$d/$f.pid" 2>/dev/null)"   # (empty once the daemon has removed its pid file)
  done
  ovs-vsctl --timeout=10 --if-exists del-br $OVN_BRIDGE
  ovs-vsctl set Open_vSwitch . external_ids="${ovn_saved%%|*}" other_config="${ovn_saved#*|}"
  ovn_saved=""
}

# ---- one trial ----------------------------------------------------------------------------------------

scrape() { curl -fsS --max-time 5 "http://127.0.0.1:$FABRIC_PORT/actuator/prometheus" >"$1" 2>/dev/null || : >"$1"; }

# trial PEER TAG RATE SECONDS CLIENTS: one perfdhcp run; a row in trials.tsv and a line on the screen.
trial() {
  local peer=$1 tag=$2 rate=$3 secs=$4 clients=$5
  local report="$OUT/trials/$peer-$tag-$rate.perfdhcp.txt" load ns=$CLI_NS iface=$CLI_IF
  local args=(-4 -x t -r "$rate" -p "$secs" -L 68)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ "$peer" = ovn ]; then
    # OVN answers only the port's own MAC and address: one client (LAB-NOTES)
    ns=$OVN_NS iface=$OVN_IF
    args+=(-R 1 -b mac=$OVN_MAC)
  else
    args+=(-R "$clients")
  fi
  case $peer in fabric*) scrape "$work/prom.before" ;; esac
  ip netns exec $ns perfdhcp "${args[@]}" -l $iface >"$report" 2>&1 &
  perfdhcp_pid=$!
  await_exit $perfdhcp_pid $(((secs + 20) * 10)) || { kill $perfdhcp_pid; echo "did not finish in time" >>"$report"; }
  wait $perfdhcp_pid 2>/dev/null || true
  perfdhcp_pid=""
  local row got do_sent do_recv ra_sent ra_recv loss do_avg ra_avg p50 p99 pairs status server=""
  row=$("$here/punt/perfdhcp_report.py" "$report")
  IFS=$'\t' read -r got do_sent do_recv ra_sent ra_recv loss do_avg ra_avg p50 p99 pairs status <<<"$row"
  case $peer in fabric*)
    scrape "$work/prom.after"
    server=$("$here/punt/prom_latency.py" "$work/prom.before" "$work/prom.after" 2>/dev/null || true) ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$tag" "$rate" "$got" \
    "$do_sent" "$ra_recv" "$loss" "$do_avg" "$ra_avg" "$p50" "$p99" "$status" "$load" "$server" "$pairs" \
    >>"$OUT/trials.tsv"
  log "$(printf '  %-10s %-7s %6s/s -> %6s/s  loss %6s%%  DISCOVER-to-ACK p50 %s ms p99 %s ms  load %s%s' \
    "$peer" "$tag" "$rate" "$got" "$loss" "$p50" "$p99" "$load" "$([ "$status" = ok ] || echo "  [$status]")")"
  [ -n "$server" ] && log "             $server"
  [ "$status" = ok ] && awk -v l="$loss" -v m="$MAX_LOSS" 'BEGIN { exit !(l <= m) }'
}

# ---- one peer: fresh server and state, warm-up, rate search -------------------------------------------

bench_peer() {
  local peer=$1 dir="$work/$1"
  mkdir -p "$dir"
  case $peer in
    kea) bridge_direct; kea_start "$dir" ;;
    fabric-udp) bridge_direct; fabric_start "$dir" udp ;;
    fabric) fabric_start "$dir" punt; bridge_punt ;;
    ovn)
      if ! ovn_available; then
        log ""
        log "== ovn: skipped (ovn-controller/ovn-northd not installed; BENCH_OVN=install installs ovn-central and ovn-host)"
        return 0
      fi
      ovn_up ;;
    *) die "unknown peer '$peer' (kea, fabric-udp, fabric, ovn)" ;;
  esac
  log ""
  log "== $peer${server_pid:+ (pid $server_pid)}"
  if [ -n "$WARMUP" ]; then
    local wrate wsecs wclients
    IFS=: read -r wrate wsecs wclients <<<"$WARMUP"
    trial "$peer" warmup "$wrate" "$wsecs" "$wclients" || true
  fi
  local rate tries tag
  for rate in $RATES; do
    tries=0
    tag=trial
    until trial "$peer" "$tag" "$rate" "$TRIAL_SECONDS" "$CLIENTS"; do
      tries=$((tries + 1))
      tag=retry$tries
      if [ "$tries" -gt "$RETRY_FAILED" ]; then
        log "  $peer: more than $MAX_LOSS% lost at $rate/s: search ends"
        break 2
      fi
    done
  done
  if [ "$peer" = fabric ]; then
    log "  $BRIDGE, our flows after the search (ovs-ofctl -O OpenFlow13 dump-flows $BRIDGE, cookie ours):"
    ovs-ofctl -O OpenFlow13 dump-flows $BRIDGE cookie=0xfab1dc0000000000/0xffffff0000000000 \
      | grep -E 'in_port=1,|NORMAL' | sed 's/^ */    /' | tee -a "$OUT/summary.txt"
  fi
  [ -n "$server_pid" ] && { stop_pid "$server_pid"; server_pid=""; }
  local f
  for f in "$dir"/*.log "$dir"/*.json; do [ -f "$f" ] && cp "$f" "$OUT/servers/$peer-$(basename "$f")"; done
  if [ "$peer" = ovn ]; then
    for f in "$work"/ovn/*.log; do [ -f "$f" ] && cp "$f" "$OUT/servers/ovn-$(basename "$f")"; done
    ovn_down
  fi
  return 0
}

main() {
  [ "$(id -u)" -eq 0 ] || die "needs root (namespaces, Open vSwitch)"
  local cmd
  for cmd in perfdhcp kea-dhcp4 socat ovs-vsctl ovs-ofctl ethtool curl java python3; do
    command -v $cmd >/dev/null || die "$cmd not found (scripts/bench installs what is missing)"
  done
  [ -f "$FABRIC_JAR" ] || die "no $FABRIC_JAR: build it with mvn -q -DskipTests package"
  mkdir -p "$OUT/trials" "$OUT/servers"
  : >"$OUT/summary.txt"
  # one bench at a time on a machine (the lock bench/dhcp-udp.sh takes too): they would share the CPUs
  exec 9>/run/fabric-bench.lock
  flock -w 1800 9 || die "another bench run held /run/fabric-bench.lock for 30 minutes"
  for cmd in "$FABRIC_PORT" "$OPENFLOW_PORT"; do
    [ -z "$(ss -Hltn "sport = :$cmd")" ] || die "TCP port $cmd is taken (BENCH_FABRIC_PORT, BENCH_OPENFLOW_PORT)"
  done
  work=$(mktemp -d /tmp/fabric-punt.XXXXXX)
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  ensure_ovs
  lab_up

  printf 'peer\ttag\toffered\tachieved\tdiscovers\tacks\tloss_pct\tdo_avg_ms\tra_avg_ms\td2a_p50_ms\td2a_p99_ms\tstatus\tload\tserver_side\tpairs\n' \
    >"$OUT/trials.tsv"
  log "== DHCP through Open vSwitch: the punt path against the direct path ($(echo $PEERS | sed 's/ /, /g'))"
  log "   bridge $BRIDGE (netdev, OpenFlow 1.3, fail_mode=secure): perfdhcp in $CLI_NS (port 1, $CLI_ADDR/$PREFIX),"
  log "   direct servers in $SRV_NS (port 2, $SRV_ADDR/$PREFIX); scope $NETWORK, pool $POOL_START-$POOL_END, lease $LEASE_TIME s"
  log "   perfdhcp -4 -x t -r RATE -p $TRIAL_SECONDS -R $CLIENTS -L 68 -l $CLI_IF (relay giaddr $CLI_ADDR; replies reach it through socat)"
  log "   rates $RATES; a search ends when more than $MAX_LOSS% of exchanges lose their ACK (after $RETRY_FAILED rerun);"
  log "   warm-up ${WARMUP:-none} (rate:s:clients), uncounted; fresh server and lease store per peer"
  log "   $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(kea-dhcp4 -v 2>&1 | head -1 | sed 's/^/Kea /'), perfdhcp $(perfdhcp -v 2>&1 | head -1 | sed 's/^VERSION: //'), OVS $(ovs-vsctl --version | head -1 | awk '{print $NF}')"
  local p
  for p in $PEERS; do
    bench_peer "$p"
  done
  log ""
  "$here/punt/summary.py" "$OUT/trials.tsv" "$MAX_LOSS" | tee -a "$OUT/summary.txt"
  echo "results in $OUT"
}

main "$@"
