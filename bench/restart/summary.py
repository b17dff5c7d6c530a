#!/usr/bin/python3
"""Figures of bench/restart/run.

  summary.py field ROUND.json KEY     one value of a round's client report (- when missing)
  summary.py table rounds.tsv         median, min and max per server, and fabric-ipam's ratio to each peer
"""
import csv
import json
import statistics
import sys


def field(path, key):
    with open(path) as f:
        value = json.load(f).get(key)
    print("-" if value is None else value)


def figures(values):
    return statistics.median(values), min(values), max(values)


def table(path):
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    servers = []
    for r in rows:
        if r["server"] not in servers:
            servers.append(r["server"])
    names = {"fabric": "fabric-ipam", "kea": "Kea 2.2"}
    medians = {}
    print("kill -9 -> first ACK of the restarted server (s): median, min, max over the rounds")
    for s in servers:
        mine = [r for r in rows if r["server"] == s]
        acks = [float(r["first_ack_s"]) for r in mine if r["first_ack_s"] not in ("-", "")]
        missed = len(mine) - len(acks)
        lost = sum(int(r["acked_before_kill"]) - int(r["init_reboot_acked"]) for r in mine
                   if r["init_reboot_acked"] not in ("-", ""))
        if not acks:
            print(f"  {names.get(s, s):12} no ACK after any kill")
            continue
        med, lo, hi = figures(acks)
        medians[s] = med
        line = f"  {names.get(s, s):12} {med:6.3f}  {lo:6.3f}  {hi:6.3f}   ({len(acks)} rounds"
        if missed:
            line += f", {missed} without an ACK in time"
        line += f"; acknowledged leases not answered after the restart: {lost})"
        print(line)
        healthy = [float(r["rest_healthy_s"]) for r in mine if r["rest_healthy_s"] not in ("-", "")]
        if healthy:
            med, lo, hi = figures(healthy)
            print(f"  {'':12} kill -> REST /actuator/health UP: {med:.2f} s (min {lo:.2f}, max {hi:.2f})")
        stops = [float(r["sigterm_stop_s"]) for r in mine if r["sigterm_stop_s"] not in ("-", "", "stop-timeout")]
        if stops:
            print(f"  {'':12} SIGTERM -> exit: {statistics.median(stops):.2f} s (max {max(stops):.2f})")
    if "fabric" in medians:
        for s, med in medians.items():
            if s != "fabric" and med > 0:
                print(f"  fabric-ipam / {names.get(s, s)} (medians) = {medians['fabric'] / med:.2f}x")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "field":
        field(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
