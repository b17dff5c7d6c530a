#!/usr/bin/python3
"""fabric-ipam's /actuator/prometheus between two scrapes, for bench/dhcp-udp.sh.

  prom.py trial BEFORE AFTER    server-side reply latency p50/p99 (offer, ack) and drops by reason; then the
                                lease journal's commits (from the connection pool's usage timer) and GC pauses
  prom.py drops AFTER           the drop counters by reason since the start (non-zero ones)

Latency quantiles come from the histogram fabric_dhcp_reply_latency_seconds_bucket: the difference of the
cumulative bucket counts between the scrapes, with linear interpolation inside the bucket that holds the
quantile (the usual histogram_quantile estimate; as good as the bucket bounds).
"""
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape(path):
    samples = {}
    with open(path) as f:
        for line in f:
            m = SAMPLE.match(line)
            if m and not line.startswith("#"):
                labels = tuple(sorted(LABEL.findall(m.group(2) or "")))
                samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def series(samples, name, **want):
    for (n, labels), v in samples.items():
        d = dict(labels)
        if n == name and all(d.get(k) == w for k, w in want.items()):
            yield d, v


def quantile(before, after, msg_type, q):
    buckets = []
    for d, v in series(after, "fabric_dhcp_reply_latency_seconds_bucket", type=msg_type):
        le = float("inf") if d["le"] == "+Inf" else float(d["le"])
        was = before.get(("fabric_dhcp_reply_latency_seconds_bucket", tuple(sorted(d.items()))), 0.0)
        buckets.append((le, v - was))
    buckets.sort()
    if not buckets or buckets[-1][1] <= 0:
        return None, 0
    total = buckets[-1][1]
    rank = q * total
    lower, below = 0.0, 0.0
    for le, cum in buckets:
        if cum >= rank:
            if le == float("inf"):
                return lower, total
            inside = cum - below
            return lower + (le - lower) * ((rank - below) / inside if inside else 1.0), total
        lower, below = le, cum
    return lower, total


def drops(before, after):
    out = []
    for d, v in series(after, "fabric_dhcp_drops_total"):
        delta = v - before.get(("fabric_dhcp_drops_total", tuple(sorted(d.items()))), 0.0)
        if delta:
            out.append(f"{d.get('reason')}={delta:.0f}")
    return " ".join(sorted(out)) or "none"


def delta(before, after, name, **labels):
    return sum(v - before.get((name, tuple(sorted(d.items()))), 0.0) for d, v in series(after, name, **labels))


def journal(before, after):
    # every group commit of the lease journal borrows one pooled connection; so do the rare sweeps
    uses = delta(before, after, "hikaricp_connections_usage_seconds_count")
    busy = delta(before, after, "hikaricp_connections_usage_seconds_sum")
    acks = delta(before, after, "fabric_dhcp_replies_total", type="ack")
    peak = max((v for _, v in series(after, "hikaricp_connections_usage_seconds_max")), default=0.0)
    if not uses:
        return "journal: no commits seen"
    return (f"journal (database connection uses ~ group commits): {uses:.0f} commits, {acks / uses:.1f} ACKs per "
            f"commit, {1000 * busy / uses:.2f} ms per commit, {1000 * busy / max(acks, 1):.3f} ms per ACK, "
            f"slowest recently {1000 * peak:.0f} ms")


def gc(before, after):
    count = delta(before, after, "jvm_gc_pause_seconds_count")
    total = delta(before, after, "jvm_gc_pause_seconds_sum")
    peak = max((v for _, v in series(after, "jvm_gc_pause_seconds_max")), default=0.0)
    return f"GC: {count:.0f} pauses, {1000 * total:.0f} ms in all, longest recently {1000 * peak:.0f} ms"


def ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.2f}ms"


def trial(before_file, after_file):
    before, after = scrape(before_file), scrape(after_file)
    parts = []
    for t in ("offer", "ack"):
        p50, n = quantile(before, after, t, 0.50)
        p99, _ = quantile(before, after, t, 0.99)
        parts.append(f"{t} p50 {ms(p50)} p99 {ms(p99)} (n={n:.0f})")
    print("server-side latency: " + "; ".join(parts) + "; drops: " + drops(before, after))
    print(journal(before, after) + "; " + gc(before, after))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "trial":
        trial(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "drops":
        print(drops({}, scrape(sys.argv[2])))
    else:
        sys.exit(__doc__)
