#!/usr/bin/python3
"""Guest hosts on Open vSwitch bridges, pointed at fabric-ipam's OpenFlow controller (Mininet).

Each switch is a userspace (netdev) OVS bridge speaking only OpenFlow 1.3 with fail_mode=secure, and
every link is a TCULink, which turns checksum offload off (LAB-NOTES: otherwise replies sent through
sockets carry partial checksums). Guests get a VLAN (their port's access tag; 0 = none) and, with
--attach-macs, external_ids:attached-mac on their port, as libvirt would set it.

    scripts/mininet/guests.py --port 6653 --switches 2 --vlans 0,0,10    # 3 guests per switch
    scripts/mininet/guests.py --dhcp udhcpc      # ask for leases, print them and the flows, stop
    scripts/mininet/guests.py --cli              # explore; Ctrl-D stops and removes everything

Run as root with /usr/bin/python3. It removes only what it created (its bridges by name through
Mininet); it never runs `mn -c`, which would delete every bridge on the machine. DHCP clients run with
a private script that configures only the guest's interface (never the host's /etc/resolv.conf).
"""
import argparse
import os
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

UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
esac
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--port', type=int, default=6653, help='controller port on 127.0.0.1')
    parser.add_argument('--switches', type=int, default=1)
    parser.add_argument('--vlans', default='0,0', help='comma-separated VLAN per guest (0 = untagged)')
    parser.add_argument('--prefix', default='fm', help='name prefix (keep it short: 15-character interface names)')
    parser.add_argument('--attach-macs', action='store_true', help='set external_ids:attached-mac on guest ports')
    parser.add_argument('--dhcp', choices=['none', 'udhcpc'], default='none')
    parser.add_argument('--cli', action='store_true', help='open the Mininet CLI before stopping')
    args = parser.parse_args()
    vlans = [int(v) for v in args.vlans.split(',')]

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
            # a restarted controller is found again within a second instead of OVS's default 8 s back-off
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
        if args.dhcp == 'udhcpc':
            script = os.path.join(workdir, 'udhcpc.sh')
            with open(script, 'w') as f:
                f.write(UDHCPC_SCRIPT)
            os.chmod(script, 0o755)
            for host in net.hosts:
                intf = host.defaultIntf().name
                started = time.time()
                out = host.cmd('udhcpc -s %s -f -q -n -i %s -t 3 -T 1 2>&1' % (script, intf))
                address = host.cmd("ip -4 -o addr show dev %s | awk '{print $4}'" % intf).strip()
                print('%-8s %-17s %s  (%.2f s)' % (host.name, host.MAC(), address or 'no lease', time.time() - started))
                if not address:
                    print('   ' + out.strip().replace('\n', '\n   '))
        for bridge in bridges:
            print('\n%s (ovs-ofctl -O OpenFlow13 dump-flows %s, ours):' % (bridge, bridge))
            for flow in our_flows(bridge):
                print('  ' + flow)
        if args.cli:
            from mininet.cli import CLI
            CLI(net)
    finally:
        net.stop()
    return status


if __name__ == '__main__':
    sys.exit(main())
