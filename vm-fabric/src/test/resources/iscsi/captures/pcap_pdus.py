#!/usr/bin/env python3
"""Splits the iSCSI PDUs out of a libpcap capture of TCP traffic to one port.

Usage: pcap_pdus.py CAPTURE.pcap PORT > FIXTURE.pdus

Prints one line per PDU, in the order its first byte was seen on the wire:
    <direction> <connection> <hex>
direction '>' is initiator to target (towards PORT), '<' the reverse; connection
numbers count TCP connections in the order they started. Retransmitted segments are
skipped. Header and data digests are assumed off (as negotiated in the captures).
"""
import struct
import sys


def frames(path):
    with open(path, 'rb') as f:
        data = f.read()
    endian = '<' if struct.unpack('<I', data[:4])[0] == 0xa1b2c3d4 else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[off + 8:off + 12])[0]
        off += 16
        yield linktype, data[off:off + incl]
        off += incl


def main(path, port):
    port = int(port)
    streams = {}      # (client port, direction) -> [bytearray, [(stream offset, packet no)]]
    connections = []  # client ports in the order they were first seen
    seen = set()
    for packet_no, (linktype, frame) in enumerate(frames(path)):
        if linktype == 1:
            if struct.unpack('>H', frame[12:14])[0] != 0x0800:
                continue
            ip = frame[14:]
        elif linktype == 113:
            ip = frame[16:]
        else:
            raise SystemExit('unsupported link type %d' % linktype)
        if ip[9] != 6:
            continue
        ihl = (ip[0] & 0xf) * 4
        tcp = ip[ihl:struct.unpack('>H', ip[2:4])[0]]
        sport, dport, seq = struct.unpack('>HHI', tcp[:8])
        payload = bytes(tcp[(tcp[12] >> 4) * 4:])
        if not payload:
            continue
        if dport == port:
            key = (sport, '>')
        elif sport == port:
            key = (dport, '<')
        else:
            continue
        if key[0] not in connections:
            connections.append(key[0])
        if (key, seq) in seen:
            continue
        seen.add((key, seq))
        buf, marks = streams.setdefault(key, [bytearray(), []])
        marks.append((len(buf), packet_no))
        buf.extend(payload)
    pdus = []
    for key, (buf, marks) in streams.items():
        i = 0
        while i + 48 <= len(buf):
            length = 48 + buf[i + 4] * 4 + ((int.from_bytes(buf[i + 5:i + 8], 'big') + 3) & ~3)
            packet_no = max(p for off, p in marks if off <= i)
            pdus.append((packet_no, i, connections.index(key[0]), key[1], bytes(buf[i:i + length])))
            i += length
    for packet_no, _, conn, direction, pdu in sorted(pdus):
        print('%s %d %s' % (direction, conn, pdu.hex()))


if __name__ == '__main__':
    main(*sys.argv[1:3])
