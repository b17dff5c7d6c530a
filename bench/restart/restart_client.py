#!/usr/bin/python3
"""The DHCP side of one crash-restart round of bench/restart/run, posing as a relay agent (as perfdhcp -l
does in bench/dhcp-udp.sh): UDP from CLIENT_ADDR:67 to SERVER_ADDR:67 with giaddr = CLIENT_ADDR, replies
come back to CLIENT_ADDR:67. Run it inside the client namespace. Three phases, all bounded in time:

  load    up to --in-flight new clients at once do DISCOVER -> OFFER -> REQUEST -> ACK; after --kill-after
          ACKs the server gets SIGKILL (--pid) in the middle of that stream, as the external crash harness
          did (300 clients, kill -9 after 150 ACKs)
  probe   from the kill on, a client that keeps asking: a DISCOVER every --interval ms (new xid each), a
          REQUEST for every OFFER; the first ACK ends the probe. The harness restarts the server meanwhile.
  verify  every client acknowledged in the load phase asks again in INIT-REBOOT (REQUEST, option 50 =
          its address, no server identifier, ciaddr 0): RFC 2131 4.3.2 has an unknown client get
          silence, so an acknowledged lease lost in the crash shows as a missing ACK

Prints one JSON object: kill time, seconds from the kill to the first OFFER and first ACK of the restarted
server, ACKs before the kill, and how many of those came back in INIT-REBOOT.

  restart_client.py --bind 10.64.0.2 --server 10.64.0.1 --pid PID --round 3 [--kill-after 150] ...
"""
import argparse
import json
import os
import random
import select
import signal
import socket
import struct
import sys
import time

BOOTREQUEST, BOOTREPLY = 1, 2
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK = 1, 2, 3, 4, 5, 6
MAGIC = b"\x63\x82\x53\x63"
OPT_REQUESTED, OPT_TYPE, OPT_SERVER_ID, OPT_PARAMS, OPT_END = 50, 53, 54, 55, 255
# RFC 2131 4.1: a client retransmits after ~4 s; a relay-posing load generator can be quicker
RETRANSMIT_S = 1.0


def mac_of(round_no, index):
    """02:52:<round>:<index 24 bits>: unique per round, outside the prepared store's 02:50:... clients."""
    return bytes([0x02, 0x52, round_no & 0xFF, (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF])


def packet(msg_type, xid, mac, giaddr, requested=None, server_id=None):
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", BOOTREQUEST, 1, 6, 1, xid, 0, 0,
                         b"\0" * 4, b"\0" * 4, b"\0" * 4, socket.inet_aton(giaddr),
                         mac + b"\0" * 10, b"\0" * 64, b"\0" * 128)
    opts = bytes([OPT_TYPE, 1, msg_type])
    if requested:
        opts += bytes([OPT_REQUESTED, 4]) + socket.inet_aton(requested)
    if server_id:
        opts += bytes([OPT_SERVER_ID, 4]) + socket.inet_aton(server_id)
    opts += bytes([OPT_PARAMS, 3, 1, 3, 51]) + bytes([OPT_END])
    return header + MAGIC + opts


def parse(data):
    """(xid, message type, yiaddr, server id) of a reply, or None."""
    if len(data) < 240 or data[0] != BOOTREPLY or data[236:240] != MAGIC:
        return None
    xid = struct.unpack("!I", data[4:8])[0]
    yiaddr = socket.inet_ntoa(data[16:20])
    msg_type, server_id = None, None
    i = 240
    while i < len(data):
        code = data[i]
        if code == OPT_END:
            break
        if code == 0:
            i += 1
            continue
        if i + 1 >= len(data):
            break
        length = data[i + 1]
        value = data[i + 2:i + 2 + length]
        if code == OPT_TYPE and length == 1:
            msg_type = value[0]
        elif code == OPT_SERVER_ID and length == 4:
            server_id = socket.inet_ntoa(value)
        i += 2 + length
    return xid, msg_type, yiaddr, server_id


class Relay:
    def __init__(self, bind, server):
        self.bind = bind
        self.server = (server, 67)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind((bind, 67))
        self.sock.setblocking(False)

    def send(self, payload):
        try:
            self.sock.sendto(payload, self.server)
        except OSError:
            pass  # e.g. no route for a moment; the caller retransmits

    def receive(self, timeout):
        """Replies that arrive within timeout seconds (at least one wait), parsed."""
        out = []
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return out
        while True:
            try:
                data, _ = self.sock.recvfrom(2048)
            except BlockingIOError:
                return out
            p = parse(data)
            if p:
                out.append(p)


def load(relay, args, xids):
    """Phase 1: new clients until kill_after ACKs, then SIGKILL. Returns (acked {mac: address}, kill time)."""
    clients = {}  # xid -> [mac, state, address, server id, sent at]
    acked = {}
    next_index = 0
    deadline = time.monotonic() + args.load_timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        while len(clients) < args.in_flight and next_index < args.max_clients:
            xid = next(xids)
            mac = mac_of(args.round, next_index)
            next_index += 1
            clients[xid] = [mac, DISCOVER, None, None, now]
            relay.send(packet(DISCOVER, xid, mac, relay.bind))
        for xid, c in clients.items():
            if now - c[4] > RETRANSMIT_S:
                c[4] = now
                relay.send(packet(c[1], xid, c[0], relay.bind, c[2], c[3]))
        for xid, msg_type, yiaddr, server_id in relay.receive(0.01):
            c = clients.get(xid)
            if c is None:
                continue
            if msg_type == OFFER and c[1] == DISCOVER:
                c[1], c[2], c[3], c[4] = REQUEST, yiaddr, server_id, time.monotonic()
                relay.send(packet(REQUEST, xid, c[0], relay.bind, yiaddr, server_id))
            elif msg_type == ACK and c[1] == REQUEST:
                acked[c[0].hex(":")] = yiaddr
                del clients[xid]
            elif msg_type == NAK:
                del clients[xid]
        if len(acked) >= args.kill_after:
            killed_at = time.monotonic()
            os.kill(args.pid, signal.SIGKILL)
            return acked, killed_at, len(clients)
        if not clients and next_index >= args.max_clients:
            break
    raise SystemExit(f"load phase: only {len(acked)} ACKs in {args.load_timeout} s; server not answering?")


def probe(relay, args, xids, killed_at):
    """Phase 2: a DISCOVER every interval until the first ACK. Returns (first offer s, first ack s, sent)."""
    mac = bytes([0x02, 0x53, args.round & 0xFF, 0, 0, 1])
    ours = set()
    first_offer = None
    sent = 0
    next_send = time.monotonic()
    deadline = killed_at + args.probe_timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_send:
            xid = next(xids)
            ours.add(xid)
            relay.send(packet(DISCOVER, xid, mac, relay.bind))
            sent += 1
            next_send = now + args.interval / 1000.0
        for xid, msg_type, yiaddr, server_id in relay.receive(max(0.0, next_send - time.monotonic())):
            if xid not in ours:
                continue  # a late reply of the load phase, from the server that was killed
            if msg_type == OFFER:
                if first_offer is None:
                    first_offer = time.monotonic() - killed_at
                relay.send(packet(REQUEST, xid, mac, relay.bind, yiaddr, server_id))
            elif msg_type == ACK:
                return first_offer, time.monotonic() - killed_at, sent
    return first_offer, None, sent


def verify(relay, acked, xids, timeout):
    """Phase 3: INIT-REBOOT for every acknowledged client. Returns (answered with ACK at the same address, NAKs)."""
    pending = {}
    for mac_text, address in acked.items():
        pending[next(xids)] = [bytes.fromhex(mac_text.replace(":", "")), address, 0.0]
    ok, naks = 0, 0
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        now = time.monotonic()
        for xid, c in pending.items():
            if now - c[2] > RETRANSMIT_S:
                c[2] = now
                relay.send(packet(REQUEST, xid, c[0], relay.bind, c[1], None))
        for xid, msg_type, yiaddr, _ in relay.receive(0.05):
            c = pending.get(xid)
            if c is None:
                continue
            if msg_type == ACK and yiaddr == c[1]:
                ok += 1
            elif msg_type == NAK:
                naks += 1
            del pending[xid]
    return ok, naks


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bind", required=True, help="our (relay) address in the client namespace")
    ap.add_argument("--server", required=True, help="the server's address")
    ap.add_argument("--pid", type=int, required=True, help="the server process to kill -9")
    ap.add_argument("--round", type=int, required=True, help="round number: makes the MACs unique")
    ap.add_argument("--kill-after", type=int, default=150)
    ap.add_argument("--in-flight", type=int, default=64, help="load clients in flight at once")
    ap.add_argument("--max-clients", type=int, default=300)
    ap.add_argument("--interval", type=float, default=5.0, help="probe: ms between DISCOVERs")
    ap.add_argument("--load-timeout", type=float, default=60.0)
    ap.add_argument("--probe-timeout", type=float, default=120.0)
    ap.add_argument("--verify-timeout", type=float, default=30.0)
    args = ap.parse_args()

    relay = Relay(args.bind, args.server)
    start = random.randrange(1 << 28)
    xids = iter(range(start, start + (1 << 28)))
    acked, killed_at, in_flight = load(relay, args, xids)
    killed_wall = time.time()
    first_offer, first_ack, sent = probe(relay, args, xids, killed_at)
    verified, naks = verify(relay, acked, xids, args.verify_timeout) if first_ack is not None else (0, 0)
    json.dump({"killed_at": killed_wall, "acked_before_kill": len(acked), "in_flight_at_kill": in_flight,
               "first_offer_s": first_offer, "first_ack_s": first_ack, "probe_discovers": sent,
               "init_reboot_acked": verified, "init_reboot_naks": naks}, sys.stdout)
    print()
    return 0 if first_ack is not None else 1


if __name__ == "__main__":
    sys.exit(main())
