#!/usr/bin/python3
"""The figures of a bench/dhcp-punt.sh run, from its trials.tsv.

    summary.py TRIALS_TSV MAX_LOSS

Per peer, its best clean trial: the highest achieved rate among trials that lost at most MAX_LOSS % and
ran cleanly (warm-ups left out), with perfdhcp's DISCOVER-to-ACK p50/p99 at that rate; then the ratios
that say what the punt path costs.
"""
import csv
import sys

LABELS = {
    'kea': 'Kea 2.2, direct (memfile, 2 threads)',
    'fabric-udp': 'fabric-ipam, direct (UDP front end)',
    'fabric': 'fabric-ipam, punt path (OpenFlow)',
    'ovn': 'OVN native DHCP (1 client MAC)',
}


def main():
    path, max_loss = sys.argv[1], float(sys.argv[2])
    best = {}
    order = []
    with open(path) as f:
        for row in csv.DictReader(f, delimiter='\t'):
            peer = row['peer']
            if peer not in order:
                order.append(peer)
            if row['tag'] == 'warmup' or row['status'] != 'ok' or float(row['loss_pct']) > max_loss:
                continue
            if peer not in best or float(row['achieved']) > float(best[peer]['achieved']):
                best[peer] = row
    print('== leases/s at <= %g%% loss, and DISCOVER-to-ACK at that rate (perfdhcp)' % max_loss)
    for peer in order:
        r = best.get(peer)
        if r is None:
            print('  %-38s no clean trial' % LABELS.get(peer, peer))
            continue
        print('  %-38s %6s/s (offered %s/s, loss %s%%)  p50 %s ms  p99 %s ms'
              % (LABELS.get(peer, peer), r['achieved'], r['offered'], r['loss_pct'], r['d2a_p50_ms'], r['d2a_p99_ms']))
        if r['server_side']:
            print('  %-38s %s' % ('', r['server_side']))

    def ratio(a, b, column):
        if a in best and b in best and float(best[b][column]) > 0:
            return float(best[a][column]) / float(best[b][column])
        return None

    print('== what the punt path costs')
    lines = [
        ('kea', 'fabric', 'achieved', 'Kea direct leases/s / fabric-ipam punt leases/s'),
        ('fabric-udp', 'fabric', 'achieved', 'fabric-ipam direct leases/s / fabric-ipam punt leases/s'),
        ('fabric', 'kea', 'd2a_p50_ms', 'fabric-ipam punt p50 / Kea direct p50'),
        ('fabric', 'fabric-udp', 'd2a_p50_ms', 'fabric-ipam punt p50 / fabric-ipam direct p50'),
        ('ovn', 'fabric', 'achieved', 'OVN native leases/s / fabric-ipam punt leases/s'),
    ]
    for a, b, column, text in lines:
        value = ratio(a, b, column)
        if value is not None:
            verdict = ''
            if column == 'achieved' and a in ('kea', 'fabric-udp') or column == 'd2a_p50_ms' and a == 'fabric':
                verdict = '  (goal < 2: %s)' % ('met' if value < 2 else 'NOT met')
            print('  %-58s %.2f%s' % (text, value, verdict))


if __name__ == '__main__':
    main()
