# Several "hosts" on one machine, joined by VXLAN, for scripts/cluster-demo and by hand (sourced, bash).
#
# Each host is a network namespace PREFIX-hN with its own Open vSwitch (a private ovsdb-server and
# ovs-vswitchd whose run directory is RUN/hN: nothing touches the machine's own OVS), two userspace bridges:
#   br-phy  the underlay: its internal port holds the host's underlay address UNDERLAY.N/24 (netdev tunnelling
#           needs the tunnel endpoint on an OVS internal port), with the veth to the underlay switch;
#   br-int  the integration bridge the guests plug into, with a flow-based VXLAN port vxlan-fabric
#           (options:remote_ip=flow, options:key=flow), as fabric-ipam creates it when a bridge has none.
# The underlay switch is a Linux bridge in the namespace PREFIX-ul. Guests are namespaces PREFIX-hNgM with a veth
# whose other end is a port of br-int. Recipe and its pitfalls: LAB-NOTES.md "VXLAN between hosts on one machine"
# (arp_ignore, the neighbour warm-up, MTU 1450 inside).
#
#   fabric_hosts_up PREFIX COUNT RUN [UNDERLAY]   hosts h1..hCOUNT (UNDERLAY default 192.168.99: h1 is .11)
#   fabric_hosts_guest N M MAC                    guest gM on host hN, in namespace $(fabric_hosts_guest_ns N M)
#   fabric_hosts_vsctl N ARGS...                  ovs-vsctl on host hN;  fabric_hosts_ofctl N ARGS... ovs-ofctl
#   fabric_hosts_down                             everything fabric_hosts_up and _guest made (by PID and name)
#   fabric_hosts_selftest PREFIX RUN              3 hosts, a guest on h1 and one on h2, tunnel flows set by hand,
#                                                 ping across; then down (FabricHostsScriptIT runs it)
#
# Needs root, ip, ping, ovsdb-server, ovs-vswitchd, ovs-vsctl, ovs-ofctl. Every process started is recorded by PID
# and stopped by PID; namespaces are deleted by the names made here, never by a pattern.

FABRIC_HOSTS_PREFIX=""
FABRIC_HOSTS_RUN=""
FABRIC_HOSTS_COUNT=0
FABRIC_HOSTS_UNDERLAY=""
FABRIC_HOSTS_NAMESPACES=()
FABRIC_HOSTS_PIDFILES=()

# The OVS schema Debian installs.
FABRIC_HOSTS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
# Inner MTU with a 1500-byte underlay (VXLAN over IPv4 adds 50 bytes).
FABRIC_HOSTS_INNER_MTU=1450

fabric_hosts_vsctl() {
  local n=$1; shift
  ovs-vsctl --timeout=10 --db="unix:$FABRIC_HOSTS_RUN/h$n/db.sock" "$@"
}

fabric_hosts_ofctl() {
  local n=$1; shift
  OVS_RUNDIR="$FABRIC_HOSTS_RUN/h$n" ovs-ofctl -O OpenFlow13 "$@"
}

fabric_hosts_underlay_ip() {
  echo "$FABRIC_HOSTS_UNDERLAY.$((10 + $1))"
}

# A private ovsdb-server and ovs-vswitchd inside namespace $2, run directory $3.
_fabric_hosts_ovs() {
  local ns=$1 run=$2
  mkdir -p "$run"
  ovsdb-tool create "$run/conf.db" "$FABRIC_HOSTS_SCHEMA"
  ip netns exec "$ns" env OVS_RUNDIR="$run" OVS_DBDIR="$run" ovsdb-server "$run/conf.db" \
    --remote="punix:$run/db.sock" --pidfile="$run/ovsdb-server.pid" --unixctl="$run/ovsdb-server.ctl" \
    --log-file="$run/ovsdb-server.log" -vconsole:off --detach --no-chdir 2>/dev/null
  FABRIC_HOSTS_PIDFILES+=("$run/ovsdb-server.pid")
  ovs-vsctl --timeout=10 --db="unix:$run/db.sock" --no-wait init
  ip netns exec "$ns" env OVS_RUNDIR="$run" ovs-vswitchd "unix:$run/db.sock" --pidfile="$run/ovs-vswitchd.pid" \
    --unixctl="$run/ovs-vswitchd.ctl" --log-file="$run/ovs-vswitchd.log" -vconsole:off --detach --no-chdir 2>/dev/null
  FABRIC_HOSTS_PIDFILES+=("$run/ovs-vswitchd.pid")
}

fabric_hosts_up() {
  local prefix=$1 count=$2 run=$3 underlay=${4:-192.168.99} n ul
  FABRIC_HOSTS_PREFIX=$prefix
  FABRIC_HOSTS_RUN=$run
  FABRIC_HOSTS_COUNT=$count
  FABRIC_HOSTS_UNDERLAY=$underlay
  mkdir -p "$run"
  ul="$prefix-ul"
  ip netns add "$ul"
  FABRIC_HOSTS_NAMESPACES+=("$ul")
  ip -n "$ul" link set lo up
  ip -n "$ul" link add ulbr type bridge
  ip -n "$ul" link set ulbr up
  for n in $(seq 1 "$count"); do
    local ns="$prefix-h$n"
    ip netns add "$ns"
    FABRIC_HOSTS_NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
    # its kernel sees br-phy's frames too, and would answer ARP for the underlay address with the wrong MAC
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1
    _fabric_hosts_ovs "$ns" "$run/h$n"
    ip link add "ul$n" netns "$ns" type veth peer name "uh$n" netns "$ul"
    ip -n "$ul" link set "uh$n" master ulbr up
    ip -n "$ns" link set "ul$n" up
    fabric_hosts_vsctl "$n" -- add-br br-phy -- set bridge br-phy datapath_type=netdev \
      -- add-port br-phy "ul$n" \
      -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
      -- add-port br-int vxlan-fabric -- set interface vxlan-fabric type=vxlan \
         options:remote_ip=flow options:key=flow
    ip -n "$ns" addr add "$(fabric_hosts_underlay_ip "$n")/24" dev br-phy
    ip -n "$ns" link set br-phy up
    ip -n "$ns" link set br-int up
  done
  # OVS learns a tunnel peer's MAC only from ARP replies reaching br-phy: one ping each way warms it up
  local a b
  for a in $(seq 1 "$count"); do
    for b in $(seq 1 "$count"); do
      [ "$a" = "$b" ] && continue
      ip netns exec "$prefix-h$a" ping -c 1 -W 2 "$(fabric_hosts_underlay_ip "$b")" >/dev/null 2>&1 || true
    done
  done
}

fabric_hosts_guest_ns() {
  echo "$FABRIC_HOSTS_PREFIX-h${1}g$2"
}

# Guest M on host N: namespace PREFIX-hNgM, interface eth0 (MAC as given), its peer gNM a port of br-int.
# Not in a command substitution: the namespace is recorded here for fabric_hosts_down.
fabric_hosts_guest() {
  local n=$1 m=$2 mac=$3 ns
  ns=$(fabric_hosts_guest_ns "$n" "$m")
  ip netns add "$ns"
  FABRIC_HOSTS_NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
  ip link add "g$n$m" netns "$FABRIC_HOSTS_PREFIX-h$n" type veth peer name eth0 netns "$ns"
  ip -n "$ns" link set eth0 address "$mac" mtu "$FABRIC_HOSTS_INNER_MTU" up
  ip -n "$FABRIC_HOSTS_PREFIX-h$n" link set "g$n$m" mtu "$FABRIC_HOSTS_INNER_MTU" up
  # a socket's partial checksum would cross the userspace datapath unfinished (LAB-NOTES: checksum offload)
  ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1 || true
  fabric_hosts_vsctl "$n" add-port br-int "g$n$m" -- set interface "g$n$m" external_ids:attached-mac="$mac"
}

# Running (a daemon that exited stays a zombie until PID 1 reaps it, and kill -0 still finds it).
_fabric_hosts_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

fabric_hosts_down() {
  local pidfile pid ns
  for pidfile in "${FABRIC_HOSTS_PIDFILES[@]}"; do
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do _fabric_hosts_alive "$pid" || break; sleep 0.05; done
      _fabric_hosts_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  for ns in "${FABRIC_HOSTS_NAMESPACES[@]}"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -n "$FABRIC_HOSTS_RUN" ] && rm -rf "$FABRIC_HOSTS_RUN"
  FABRIC_HOSTS_NAMESPACES=()
  FABRIC_HOSTS_PIDFILES=()
}

fabric_hosts_selftest() {
  local prefix=$1 run=$2 t0 g1 g2 n p v status=0
  t0=$(date +%s%N)
  fabric_hosts_up "$prefix" 3 "$run"
  echo "3 hosts up in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  fabric_hosts_guest 1 1 02:5a:00:00:01:01
  fabric_hosts_guest 2 1 02:5a:00:00:02:01
  g1=$(fabric_hosts_guest_ns 1 1)
  g2=$(fabric_hosts_guest_ns 2 1)
  ip -n "$g1" addr add 10.50.0.1/24 dev eth0
  ip -n "$g2" addr add 10.50.0.2/24 dev eth0
  for n in 1 2; do
    p=$(fabric_hosts_vsctl "$n" get interface "g${n}1" ofport)
    v=$(fabric_hosts_vsctl "$n" get interface vxlan-fabric ofport)
    fabric_hosts_ofctl "$n" add-flow br-int \
      "in_port=$p,actions=set_field:$(fabric_hosts_underlay_ip $((3 - n)))->tun_dst,set_field:5->tun_id,output:$v"
    fabric_hosts_ofctl "$n" add-flow br-int "in_port=$v,tun_id=5,actions=output:$p"
  done
  ip netns exec "$g1" ping -c 3 -i 0.2 -W 2 10.50.0.2 || status=$?
  fabric_hosts_ofctl 1 dump-flows br-int
  fabric_hosts_down
  return "$status"
}
