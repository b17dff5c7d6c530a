#!/usr/bin/python3
"""One perfdhcp run (started with -x t) as a tab-separated row, for bench/dhcp-punt.sh.

    perfdhcp_report.py REPORT

Prints: achieved 4-way exchanges/s, DISCOVERs sent, OFFERs received, REQUESTs sent, ACKs received,
loss % (1 - ACKs / DISCOVERs), avg DISCOVER-OFFER and REQUEST-ACK delay (ms, perfdhcp's own), p50 and
p99 DISCOVER-to-ACK (ms), the number of exchanges they are taken from, and a status ("ok" or why not).

perfdhcp prints the send and receive times of every successful exchange (-x t), DISCOVER-OFFER and
REQUEST-ACK separately and without transaction ids. It sends a client's REQUEST as soon as it has read
its OFFER, so each REQUEST is paired with the latest unpaired OFFER received before it was sent; the
DISCOVER-to-ACK time is then that ACK's arrival minus that DISCOVER's departure.
"""
import bisect
import re
import sys


def section(text, title):
    start = text.find(title)
    if start < 0:
        return ''
    end = text.find('***', start + len(title))
    return text[start:end if end >= 0 else len(text)]


def number(pattern, text, default=0.0):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else default


def timestamps(text, title):
    pairs = []
    for line in section(text, title).splitlines():
        m = re.match(r'\s*sent / received: ([0-9.]+) / ([0-9.]+)', line)
        if m:
            pairs.append((float(m.group(1)), float(m.group(2))))
    return pairs


def discover_to_ack(offers, acks):
    """Milliseconds from DISCOVER sent to ACK received, one per ACK that could be paired."""
    offers = sorted(offers, key=lambda p: p[1])
    received = [r for _, r in offers]
    used = [False] * len(offers)
    out = []
    for sent, acked in sorted(acks):
        i = bisect.bisect_right(received, sent) - 1
        while i >= 0 and used[i]:
            i -= 1
        if i < 0:
            continue
        used[i] = True
        out.append((acked - offers[i][0]) * 1000.0)
    return sorted(out)


def percentile(values, p):
    if not values:
        return float('nan')
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    text = open(sys.argv[1], errors='replace').read()
    do = section(text, '***Statistics for: DISCOVER-OFFER***')
    ra = section(text, '***Statistics for: REQUEST-ACK***')
    rate = number(r'Rate: ([0-9.]+) 4-way', text)
    do_sent = int(number(r'sent packets: (\d+)', do))
    do_recv = int(number(r'received packets: (\d+)', do))
    ra_sent = int(number(r'sent packets: (\d+)', ra))
    ra_recv = int(number(r'received packets: (\d+)', ra))
    do_avg = number(r'avg delay: ([0-9.]+) ms', do, float('nan'))
    ra_avg = number(r'avg delay: ([0-9.]+) ms', ra, float('nan'))
    loss = 100.0 * (1.0 - ra_recv / do_sent) if do_sent else 100.0
    d2a = discover_to_ack(timestamps(text, '***Timestamps for packets: DISCOVER-OFFER***'),
                          timestamps(text, '***Timestamps for packets: REQUEST-ACK***'))
    status = 'ok'
    if do_sent == 0:
        status = 'no-discovers-sent'
    elif 'did not finish' in text:
        status = 'stopped'
    elif re.search(r'(?i)error|failed', text.split('***Rate statistics***')[0]):
        status = 'perfdhcp-error'
    print('\t'.join([
        '%.0f' % rate, str(do_sent), str(do_recv), str(ra_sent), str(ra_recv), '%.2f' % loss,
        '%.3f' % do_avg, '%.3f' % ra_avg, '%.3f' % percentile(d2a, 50), '%.3f' % percentile(d2a, 99),
        str(len(d2a)), status]))


if __name__ == '__main__':
    main()
