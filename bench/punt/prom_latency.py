#!/usr/bin/python3
"""fabric-ipam's own reply latency over one trial, from two /actuator/prometheus scrapes.

    prom_latency.py BEFORE AFTER

fabric_dhcp_reply_latency_seconds{type} is a histogram of the time from a request's arrival (the
packet-in decoded) to its reply leaving (the packet-out written): the server's share of each exchange.
Prints one line: for OFFERs and ACKs the count in the trial and p50/p99 in ms (linear within the bucket
that holds the quantile, as Prometheus' histogram_quantile does), and the drops by reason in the trial.
"""
import re
import sys

SAMPLE = re.compile(r'^([a-z_]+)\{([^}]*)\} ([0-9.eE+-]+)$')


def read(path):
    samples = {}
    for line in open(path, errors='replace'):
        m = SAMPLE.match(line.strip())
        if m:
            samples[(m.group(1), m.group(2))] = float(m.group(3))
    return samples


def label(labels, name):
    m = re.search(name + r'="([^"]*)"', labels)
    return m.group(1) if m else None


def quantile(buckets, q):
    """buckets: sorted (upper bound, cumulative count) of the trial."""
    if not buckets or buckets[-1][1] <= 0:
        return float('nan')
    rank = q * buckets[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float('inf'):
                return lower_bound
            width = count - lower_count
            return lower_bound + (bound - lower_bound) * ((rank - lower_count) / width if width else 1.0)
        lower_bound, lower_count = bound, count
    return lower_bound


def main():
    before, after = read(sys.argv[1]), read(sys.argv[2])
    parts = []
    for kind in ('offer', 'ack'):
        buckets = []
        for (name, labels), value in after.items():
            if name == 'fabric_dhcp_reply_latency_seconds_bucket' and label(labels, 'type') == kind:
                le = label(labels, 'le')
                bound = float('inf') if le == '+Inf' else float(le)
                buckets.append((bound, value - before.get((name, labels), 0.0)))
        buckets.sort()
        count = buckets[-1][1] if buckets else 0
        parts.append('%s %d p50 %.3f ms p99 %.3f ms' % (kind, count, quantile(buckets, 0.5) * 1000,
                                                       quantile(buckets, 0.99) * 1000))
    drops = []
    for (name, labels), value in sorted(after.items()):
        if name == 'fabric_dhcp_drops_total':
            delta = value - before.get((name, labels), 0.0)
            if delta > 0:
                drops.append('%s %d' % (label(labels, 'reason'), delta))
    print('server-side: ' + '; '.join(parts) + '; drops: ' + (', '.join(drops) or 'none'))


if __name__ == '__main__':
    main()
