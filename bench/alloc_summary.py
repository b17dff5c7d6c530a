#!/usr/bin/python3
"""Summary of the JMH AllocationBenchmark run by scripts/bench, from JMH's JSON result (-rf json).

  alloc_summary.py RESULT.json [FULLNESS]     (FULLNESS of the headline, default 0.99)

Per fill (random, sequential): our nextFree (the free-address index alone) and discover (a whole
DHCPDISCOVER through the responder and the scope state) against firstFreeScanPeer (walking the pool from
its start, asking the lease index about each address), with the ratio scan / nextFree.
"""
import json
import sys


def main(path, headline):
    results = json.load(open(path))
    table = {}
    for r in results:
        bench = r["benchmark"].rsplit(".", 1)[1]
        p = r.get("params", {})
        m = r["primaryMetric"]
        table[(p.get("fullness"), p.get("fill"), bench)] = (m["score"], m["scoreError"], m["scoreUnit"])
    fullnesses = sorted({k[0] for k in table}, key=float)
    fills = sorted({k[1] for k in table})
    print(f"== Allocation on a /12 scope (1,048,574 addresses), JMH average time per operation")
    print(f"   {'fullness':>8} {'fill':<10} {'nextFree':>12} {'discover':>12} {'firstFreeScan':>14} {'scan/nextFree':>14}")
    for f in fullnesses:
        for fill in fills:
            def cell(b):
                v = table.get((f, fill, b))
                return f"{v[0]:,.0f} {v[2].split('/')[0]}" if v else "-"
            nf = table.get((f, fill, "nextFree"))
            scan = table.get((f, fill, "firstFreeScanPeer"))
            ratio = f"{scan[0] / nf[0]:,.0f}x" if nf and scan and nf[0] > 0 else "-"
            mark = " <-" if f == headline else ""
            print(f"   {float(f) * 100:>7g}% {fill:<10} {cell('nextFree'):>12} {cell('discover'):>12} "
                  f"{cell('firstFreeScanPeer'):>14} {ratio:>14}{mark}")
    for fill in fills:
        nf = table.get((headline, fill, "nextFree"))
        d = table.get((headline, fill, "discover"))
        scan = table.get((headline, fill, "firstFreeScanPeer"))
        if nf and scan:
            print(f"   {float(headline) * 100:g}% full, {fill} fill: nextFree {nf[0]:,.1f} ns (+-{nf[1]:,.0f}), "
                  f"discover {d[0]:,.0f} ns (+-{d[1]:,.0f}), first-free scan {scan[0]:,.0f} ns (+-{scan[1]:,.0f}): "
                  f"the scan takes {scan[0] / nf[0]:,.0f}x as long as our lookup")
    print("   (+- is JMH's 99.9% error over few short iterations on a shared machine: orders of magnitude are")
    print("    what to read; random fill leaves free addresses near the start, where even a scan stops early)")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "0.99")
