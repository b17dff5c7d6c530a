#!/usr/bin/python3
"""The closing table of bench/dhcp-udp.sh, from RESULTS_DIR/trials.tsv and meta.txt.

  summary.py RESULTS_DIR

A server's figure is its best trial under ISC's rule: the highest offered rate whose trial lost at most
max_loss % of its exchanges; the leases/s shown is what perfdhcp measured in that trial (4-way exchanges
completed per second). "peak" is the most any of its trials completed per second, loss or not.
"""
import csv
import sys

NAMES = {"fabric": "fabric-ipam", "kea-mt": "kea-mt (2 threads)", "kea-st": "kea-st", "dnsmasq": "dnsmasq"}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def per_lease_cpu(r):
    cpu, rate = num(r.get("cpu_server")), num(r.get("rate"))
    return f"{cpu / 100 * 1e6 / rate:.0f}" if cpu is not None and rate else "-"


def per_lease_bytes(r):
    mib, secs, rate = num(r.get("srv_wrote_mib")), num(r.get("cpu_window_s")), num(r.get("rate"))
    return f"{mib * 1048576 / (secs * rate):,.0f}" if mib is not None and secs and rate else "-"


def losses(rows, server, max_loss, drops_by_trial):
    failing = [r for r in rows if r["server"] == server
               and (r["status"] != "ok" or float(r["loss_pct"]) > max_loss)]
    if not failing:
        return "no trial failed"
    r = failing[-1]  # the one that ended the search
    lost = int(float(r["do_sent"]) - float(r["ra_recv"]))
    text = (f"{r['offered']}/s ({r['tag']}): {lost} exchanges lost ({float(r['loss_pct']):.1f}%); "
            f"rcvbuf overflows: server {r['srv_rcvbuf_errs']}, perfdhcp {r['cli_rcvbuf_errs']}")
    rest = lost - int(r["srv_rcvbuf_errs"]) - int(r["cli_rcvbuf_errs"])
    if rest > 0:
        text += f", the other {rest} answered too late (perfdhcp waits 1 s) or dropped inside the server"
    drops = drops_by_trial.get((server, f"{r['tag']}-{r['offered']}"))
    if drops is not None:
        text += f"; server's own drop counters: {drops}"
    if r["status"] != "ok":
        text += f"; perfdhcp: {r['status']}"
    return text


def main(out):
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(f"{out}/meta.txt") if "=" in line)
    max_loss = float(meta.get("max_loss", "2.5"))
    rows = [r for r in csv.DictReader(open(f"{out}/trials.tsv"), delimiter="\t") if r["tag"] != "warmup"]
    latency, drops_by_trial = {}, {}
    try:
        for line in open(f"{out}/fabric-latency.tsv"):
            server, trial, text = line.rstrip("\n").split("\t", 2)
            latency[(server, trial)] = text
            drops_by_trial[(server, trial)] = text.rsplit("drops: ", 1)[-1] if "drops: " in text else None
    except FileNotFoundError:
        pass
    servers = list(dict.fromkeys(r["server"] for r in rows))
    best, peak = {}, {}
    for s in servers:
        mine = [r for r in rows if r["server"] == s]
        clean = [r for r in mine if r["status"] == "ok" and float(r["loss_pct"]) <= max_loss]
        best[s] = max(clean, key=lambda r: (int(r["offered"]), int(r["rate"]))) if clean else None
        peak[s] = max(mine, key=lambda r: int(r["rate"])) if mine else None

    lowest = min((int(r["offered"]) for r in rows), default=0)
    print(f"== DHCP result: leases/s (4-way exchanges/s) at <= {max_loss}% loss, perfdhcp relay mode, same run")
    print(f"   {meta.get('nproc')} cores; load average {meta.get('load_start')} at start, "
          f"{meta.get('load_end', '?')} at end (other tenants' load lowers every figure alike)")
    print(f"   Kea {meta.get('kea')}, dnsmasq {meta.get('dnsmasq')}, perfdhcp {meta.get('perfdhcp')}, {meta.get('java')}")
    print(f"   fabric-ipam JVM flags: {meta.get('fabric_java_opts')}; extra arguments: {meta.get('fabric_args')}")
    print()
    head = f"   {'server':<19} {'leases/s':>8} {'offered':>7} {'loss%':>6}  {'DO avg/max ms':>15}  " \
           f"{'RA avg/max ms':>15}  {'srv cpu%':>8} {'cpu us/lease':>12} {'B written/lease':>15}  {'peak/s':>6}"
    print(head)
    print("   " + "-" * (len(head) - 3))
    for s in servers:
        b, p = best[s], peak[s]
        if b is None:
            print(f"   {NAMES.get(s, s):<19} {'<' + str(lowest):>8} {'-':>7} {'-':>6}  {'-':>15}  {'-':>15}  "
                  f"{'-':>8} {'-':>12} {'-':>15}  {p['rate'] if p else '-':>6}")
            continue
        print(f"   {NAMES.get(s, s):<19} {b['rate']:>8} {b['offered']:>7} {float(b['loss_pct']):>6.2f}  "
              f"{b['do_avg_ms'] + '/' + b['do_max_ms']:>15}  {b['ra_avg_ms'] + '/' + b['ra_max_ms']:>15}  "
              f"{b['cpu_server']:>8} {per_lease_cpu(b):>12} {per_lease_bytes(b):>15}  {p['rate']:>6}")
    print()
    ours = best.get("fabric")
    if ours is not None or "fabric" in servers:
        for s in servers:
            if s == "fabric":
                continue
            if ours is None:
                print(f"   fabric-ipam / {s:<8} = n/a (fabric-ipam lost more than {max_loss}% at every rate)")
            elif best[s] is None:
                print(f"   fabric-ipam / {s:<8} = n/a ({s} lost more than {max_loss}% already at {lowest}/s)")
            else:
                print(f"   fabric-ipam / {s:<8} = {int(ours['rate']) / int(best[s]['rate']):.2f}x"
                      f"   ({ours['rate']} / {best[s]['rate']} leases/s)")
        if ours is not None:
            key = f"{ours['tag']}-{ours['offered']}"
            print(f"   fabric-ipam best trial ({ours['offered']}/s offered), "
                  f"{latency.get(('fabric', key), 'server-side latency: not scraped')}")
    print()
    print("   Where the trial that ended each search lost its exchanges:")
    for s in servers:
        print(f"   {NAMES.get(s, s):<19} {losses(rows, s, max_loss, drops_by_trial)}")
    print("   (DO = DISCOVER-OFFER, RA = REQUEST-ACK delays as perfdhcp measures them at the client;")
    print("    srv cpu% = the server process's CPU over the middle of that trial, 100 = one core; cpu us/lease")
    print("    = that CPU per completed exchange; B written/lease = bytes the server wrote (write syscalls) per")
    print("    completed exchange; rcvbuf = UDP receive-buffer overflows, server side / perfdhcp side)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
