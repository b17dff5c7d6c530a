#!/usr/bin/python3
"""Guest hosts on Open vSwitch bridges, pointed at fabric-ipam's OpenFlow controller (Mininet).

Each switch is a userspace (netdev) OVS bridge speaking only OpenFlow 1.3 with fail_mode=secure, and
every link is a TCULink, which turns checksum offload off (LAB-NOTES: otherwise replies sent through
sockets carry partial checksums). Guests get a VLAN (their port's access tag; 0 = none) and, with
--attach-macs, external_ids:attached-mac on their port, as libvirt would set it. Guest g on switch s
has MAC 02:00:00:0s:00:0g; switch s has datapath id 0000000000fab10s.

    scripts/mininet/guests.py --port 6653 --switches 2 --vlans 0,0,10    # 3 guests per switch
    scripts/mininet/guests.py --dhcp udhcpc      # ask for leases, print them and the flows, stop
    scripts/mininet/guests.py --dhcp all         # udhcpc, dhclient and dhcpcd in turn, one per guest
    scripts/mininet/guests.py --dhcp all --hold  # ... then keep everything up until stdin closes (Ctrl-D)
    scripts/mininet/guests.py --cli              # explore; Ctrl-D stops and removes everything

Run as root with /usr/bin/python3. It removes only what it created (its bridges by name through
Mininet), also when stopped with SIGTERM or Ctrl-C; it never runs `mn -c`, which would delete every
bridge on the machine. DHCP clients run with private scripts that configure only the guest's interface
(never the host's /etc/resolv.conf); dhcpcd runs in a private mount namespace so its state stays in a
temporary directory; no client is left running.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial

from mininet.link import TCULink
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController
from mininet.topo import Topo

COOKIE = '0xfab1dc0000000000/0xffffff0000000000'
CLIENTS = ('udhcpc', 'dhclient', 'dhcpcd')
# every client run is bounded: udhcpc and dhcpcd by their own retries, all of them by timeout(1)
CLIENT_TIME_LIMIT = 30

UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
"""

DHCLIENT_SCRIPT = """#!/bin/sh
case "$reason" in
  PREINIT) ip link set "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    if [ "$old_ip_address" != "$new_ip_address" ]; then ip -4 addr flush dev "$interface"; fi
    ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
esac
exit 0
"""

# dhcpcd configures the interface itself; its hooks would rewrite resolv.conf, so its script does nothing.
# noarp: no ARP probe of the offered address before using it (saves ~4 s per lease here)
DHCPCD_SCRIPT = "#!/bin/sh\nexit 0\n"
DHCPCD_CONFIG = "noarp\nnoipv4ll\nnoipv6rs\nipv4only\noption subnet_mask, routers, domain_name_servers\n"

# dhcpcd's state lives in /var/lib/dhcpcd and /run/dhcpcd: give it private ones ($1 state dir, $2 config,
# $3 script, $4 interface)
DHCPCD_WRAPPER = """#!/bin/sh
set -e
mount --bind "$1" /var/lib/dhcpcd
mount -t tmpfs fabric-dhcpcd /run
mkdir /run/dhcpcd
exec dhcpcd -4 -1 -B -t 20 -f "$2" -c "$3" "$4"
"""


class GuestTopo(Topo):
    """`switches` bridges, each with one guest per entry of `vlans`."""

    def build(self, prefix, switches, vlans):
        for s in range(1, switches + 1):
            switch = self.addSwitch('%ss%d' % (prefix, s), dpid='%016x' % (0xfab100 + s))
            for g, _ in enumerate(vlans, start=1):
                host = self.addHost('%sh%d%d' % (prefix, s, g), ip=None,
                                    mac='02:00:00:%02x:00:%02x' % (s, g))
                self.addLink(host, switch)


def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def our_flows(bridge):
    return [l.strip() for l in sh('ovs-ofctl', '-O', 'OpenFlow13', 'dump-flows', bridge,
                                  'cookie=' + COOKIE).splitlines() if 'cookie=' in l]


def wait_for_controller(bridges, limit=30.0):
    """Until each bridge holds our NORMAL flow: the controller has connected and reconciled."""
    deadline = time.time() + limit
    while time.time() < deadline:
        if all(any('actions=NORMAL' in f for f in our_flows(b)) for b in bridges):
            return True
        time.sleep(0.2)
    return False


def write_file(path, text, mode=0o644):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def stop_dhclient(pidfile):
    """Ends the dhclient daemon named in `pidfile` with SIGTERM. The daemon writes the file after the
    command that started it has returned: wait for it (5 s at most)."""
    pid = None
    for _ in range(50):
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip())
            break
        except (OSError, ValueError):
            time.sleep(0.1)
    try:
        with open('/proc/%d/comm' % pid) as f:
            if f.read().strip() != 'dhclient':
                return
        os.kill(pid, signal.SIGTERM)
    except (OSError, TypeError):
        return
    for _ in range(50):
        if not os.path.exists('/proc/%d' % pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def run_client(host, client, workdir):
    """Runs one DHCP client once in `host`; returns its output."""
    intf = host.defaultIntf().name
    limit = 'timeout %d ' % CLIENT_TIME_LIMIT
    if client == 'udhcpc':
        return host.cmd(limit + 'udhcpc -s %s -f -q -n -i %s -t 5 -T 1 2>&1'
                        % (os.path.join(workdir, 'udhcpc.sh'), intf))
    if client == 'dhclient':
        pidfile = os.path.join(workdir, host.name + '-dhclient.pid')
        if os.path.exists(pidfile):
            os.remove(pidfile)
        out = host.cmd(limit + 'dhclient -4 -1 -sf %s -pf %s -lf %s %s 2>&1'
                       % (os.path.join(workdir, 'dhclient.sh'), pidfile,
                          os.path.join(workdir, host.name + '-dhclient.leases'), intf))
        # once bound, dhclient -1 goes on as a daemon: end it (SIGTERM releases nothing, the address stays)
        if host.cmd('ip -4 -o addr show dev %s' % intf).strip():
            stop_dhclient(pidfile)
        return out
    state = os.path.join(workdir, host.name + '-dhcpcd')
    os.makedirs(state, exist_ok=True)
    return host.cmd(limit + 'unshare -m --propagation private /bin/sh %s %s %s %s %s 2>&1'
                    % (os.path.join(workdir, 'dhcpcd-wrapper.sh'), state, os.path.join(workdir, 'dhcpcd.conf'),
                       os.path.join(workdir, 'dhcpcd.sh'), intf))


def ask_for_leases(net, mode, workdir):
    """Each guest asks for a lease once (udhcpc, or udhcpc/dhclient/dhcpcd in turn); prints what it got."""
    write_file(os.path.join(workdir, 'udhcpc.sh'), UDHCPC_SCRIPT, 0o755)
    write_file(os.path.join(workdir, 'dhclient.sh'), DHCLIENT_SCRIPT, 0o755)
    write_file(os.path.join(workdir, 'dhcpcd.sh'), DHCPCD_SCRIPT, 0o755)
    write_file(os.path.join(workdir, 'dhcpcd.conf'), DHCPCD_CONFIG)
    write_file(os.path.join(workdir, 'dhcpcd-wrapper.sh'), DHCPCD_WRAPPER, 0o755)
    leased = 0
    for i, host in enumerate(net.hosts):
        client = CLIENTS[i % len(CLIENTS)] if mode == 'all' else 'udhcpc'
        intf = host.defaultIntf().name
        started = time.time()
        out = run_client(host, client, workdir)
        address = host.cmd("ip -4 -o addr show dev %s | awk '{print $4}'" % intf).strip()
        print('  %-8s %-9s %-17s %-16s (%.2f s)' % (host.name, client, host.MAC(), address or 'no lease',
                                                     time.time() - started))
        if address:
            leased += 1
        else:
            print('     ' + out.strip().replace('\n', '\n     '))
    return leased == len(net.hosts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--port', type=int, default=6653, help='controller port on 127.0.0.1')
    parser.add_argument('--switches', type=int, default=1)
    parser.add_argument('--vlans', default='0,0', help='comma-separated VLAN per guest (0 = untagged)')
    parser.add_argument('--prefix', default='fm', help='name prefix (keep it short: 15-character interface names)')
    parser.add_argument('--attach-macs', action='store_true', help='set external_ids:attached-mac on guest ports')
    parser.add_argument('--dhcp', choices=['none', 'udhcpc', 'all'], default='none',
                        help='ask for leases: udhcpc in every guest, or udhcpc, dhclient and dhcpcd in turn')
    parser.add_argument('--no-flows', dest='flows', action='store_false', help='do not print our flows')
    parser.add_argument('--hold', action='store_true',
                        help='keep the network up until stdin closes (Ctrl-D), then remove it')
    parser.add_argument('--cli', action='store_true', help='open the Mininet CLI before stopping')
    args = parser.parse_args()
    vlans = [int(v) for v in args.vlans.split(',')]
    # output may go to a file or a pipe: line by line, so a caller sees each line when it is printed
    sys.stdout.reconfigure(line_buffering=True)
    # SIGTERM stops as cleanly as Ctrl-C: through the finally below, which removes the bridges
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))

    setLogLevel('warning')
    switch = partial(OVSSwitch, datapath='user', protocols='OpenFlow13', failMode='secure')
    net = Mininet(topo=GuestTopo(prefix=args.prefix, switches=args.switches, vlans=vlans), switch=switch,
                  link=TCULink, controller=None, autoSetMacs=False, autoStaticArp=False)
    net.addController('c0', controller=RemoteController, ip='127.0.0.1', port=args.port, protocols='OpenFlow13')
    workdir = tempfile.mkdtemp(prefix='fabric-mininet-')
    status = 0
    try:
        net.start()
        for sw in net.switches:
            # ask for OVS's shortest back-off, so a restarted controller is found again at once (measured
            # with OVS 3.1.0 here, vswitchd still backs off 1, 2, 4, 8 s: within ~8 s)
            for uuid in sh('ovs-vsctl', 'get', 'Bridge', sw.name, 'controller').strip('[] \n').split(','):
                if uuid.strip():
                    sh('ovs-vsctl', 'set', 'Controller', uuid.strip(), 'max_backoff=1000')
            for g, vlan in enumerate(vlans, start=1):
                host = net.get('%sh%d%d' % (args.prefix, int(sw.name[len(args.prefix) + 1:]), g))
                port = host.defaultIntf().link.intf2.name
                if vlan:
                    sh('ovs-vsctl', 'set', 'Port', port, 'tag=%d' % vlan)
                if args.attach_macs:
                    sh('ovs-vsctl', 'set', 'Interface', port, 'external_ids:attached-mac="%s"' % host.MAC())
        bridges = [sw.name for sw in net.switches]
        if not wait_for_controller(bridges):
            print('no controller reconciled %s on 127.0.0.1:%d' % (', '.join(bridges), args.port), file=sys.stderr)
            status = 1
        if args.dhcp != 'none' and not ask_for_leases(net, args.dhcp, workdir):
            status = 1
        if args.flows:
            for bridge in bridges:
                print('\n%s (ovs-ofctl -O OpenFlow13 dump-flows %s, ours):' % (bridge, bridge))
                for flow in our_flows(bridge):
                    print('  ' + flow)
        if args.cli:
            from mininet.cli import CLI
            CLI(net)
        if args.hold:
            print('guests ready: %s up until stdin closes' % ', '.join(bridges))
            sys.stdin.read()
    except KeyboardInterrupt:
        status = 130
    finally:
        net.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == '__main__':
    sys.exit(main())
