#!/usr/bin/python3
"""The figures of a bench/dhcp-punt.sh run, from its trials.tsv.

    summary.py TRIALS_TSV MAX_LOSS

1. Per peer, its best clean trial: the highest achieved rate among trials that lost at most MAX_LOSS %
   and ran cleanly (warm-ups left out), with perfdhcp's DISCOVER-to-ACK p50/p99 at that rate.
2. Latency at a common load: the highest offered rate that every peer passed cleanly, p50/p99 of each
   there (a peer's latency at its own peak says more about queueing than about its path).
3. The ratios that say what the punt path costs, and the goal (< 2x the direct path).
"""
import csv
import sys

LABELS = {
    'kea': 'Kea 2.2, direct (memfile, 2 threads)',
    'fabric-udp': 'fabric-ipam, direct (UDP front end)',
    'fabric': 'fabric-ipam, punt path (OpenFlow)',
    'ovn': 'OVN native DHCP (1 client MAC)',
}
WIDTH = 38


def clean(row, max_loss):
    return row['tag'] != 'warmup' and row['status'] == 'ok' and float(row['loss_pct']) <= max_loss


def main():
    path, max_loss = sys.argv[1], float(sys.argv[2])
    order, best, passed = [], {}, {}
    with open(path) as f:
        for row in csv.DictReader(f, delimiter='\t'):
            peer = row['peer']
            if peer not in order:
                order.append(peer)
            if not clean(row, max_loss):
                continue
            passed.setdefault(peer, {})[int(row['offered'])] = row
            if peer not in best or float(row['achieved']) > float(best[peer]['achieved']):
                best[peer] = row

    print('== leases/s at <= %g%% loss, and DISCOVER-to-ACK at that rate (perfdhcp)' % max_loss)
    for peer in order:
        r = best.get(peer)
        if r is None:
            print('  %-*s no clean trial' % (WIDTH, LABELS.get(peer, peer)))
            continue
        print('  %-*s %6s/s (offered %s/s, loss %s%%)  p50 %s ms  p99 %s ms'
              % (WIDTH, LABELS.get(peer, peer), r['achieved'], r['offered'], r['loss_pct'], r['d2a_p50_ms'],
                 r['d2a_p99_ms']))
        if r['server_side']:
            print('  %-*s %s' % (WIDTH, '', r['server_side']))

    measured = [p for p in order if p in passed]
    common = set.intersection(*(set(passed[p]) for p in measured)) if measured else set()
    at = {}
    if common:
        rate = max(common)
        print('== DISCOVER-to-ACK at %d/s offered, the highest rate every peer passed (perfdhcp)' % rate)
        for peer in measured:
            r = passed[peer][rate]
            at[peer] = r
            print('  %-*s p50 %s ms  p99 %s ms' % (WIDTH, LABELS.get(peer, peer), r['d2a_p50_ms'], r['d2a_p99_ms']))
            if r['server_side']:
                print('  %-*s %s' % (WIDTH, '', r['server_side']))

    def ratio(rows, a, b, column):
        if a in rows and b in rows and float(rows[b][column]) > 0:
            return float(rows[a][column]) / float(rows[b][column])
        return None

    print('== what the punt path costs (goal: less than 2x the direct path)')
    checks = [
        (best, 'kea', 'fabric', 'achieved', 'leases/s: Kea direct / fabric-ipam punt', True),
        (best, 'fabric-udp', 'fabric', 'achieved', 'leases/s: fabric-ipam direct / fabric-ipam punt', True),
        (at, 'fabric', 'kea', 'd2a_p50_ms', 'p50 at the common rate: fabric-ipam punt / Kea direct', True),
        (at, 'fabric', 'fabric-udp', 'd2a_p50_ms', 'p50 at the common rate: fabric-ipam punt / fabric-ipam direct', True),
        (best, 'ovn', 'fabric', 'achieved', 'leases/s: OVN native / fabric-ipam punt', False),
        (at, 'fabric', 'ovn', 'd2a_p50_ms', 'p50 at the common rate: fabric-ipam punt / OVN native', False),
    ]
    for rows, a, b, column, text, goal in checks:
        value = ratio(rows, a, b, column)
        if value is not None:
            verdict = '  (%s)' % ('< 2: met' if value < 2 else '>= 2: NOT met') if goal else ''
            print('  %-64s %5.2f%s' % (text, value, verdict))


if __name__ == '__main__':
    main()
