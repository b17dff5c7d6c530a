#!/usr/bin/python3
"""Reads one perfdhcp -4 report and prints one tab-separated line for bench/dhcp-udp.sh:

  rate  acks_per_s  loss_pct  do_sent  do_recv  ra_sent  ra_recv  do_avg_ms  do_max_ms  ra_avg_ms  ra_max_ms  status

rate is perfdhcp's own "Rate: N 4-way exchanges/second"; acks_per_s is ACKs received / trial seconds (the
same figure unless perfdhcp waited after the trial). loss_pct counts an exchange as lost unless its ACK came
back: 100 * (1 - ACKs received / DISCOVERs sent), which covers drops of both halves of the exchange.
status is "ok", or "error:<first words of perfdhcp's ERROR line>" when perfdhcp gave up mid-trial.

  perfdhcp_parse.py REPORT SECONDS
"""
import re
import sys


def parse(text):
    sections = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"\*\*\*Statistics for: (\S+)\*\*\*", line)
        if m:
            current = sections.setdefault(m.group(1), {})
            continue
        m = re.match(r"(sent packets|received packets|drops|avg delay|max delay): ([\d.]+)", line)
        if m and current is not None:
            current[m.group(1)] = float(m.group(2))
    rate = re.search(r"Rate: ([\d.]+) 4-way exchanges/second", text)
    error = re.search(r"^ERROR: (.*)$", text, re.M)
    return sections, float(rate.group(1)) if rate else 0.0, error.group(1) if error else None


def main(path, seconds):
    with open(path, errors="replace") as f:
        sections, rate, error = parse(f.read())
    do = sections.get("DISCOVER-OFFER", {})
    ra = sections.get("REQUEST-ACK", {})
    do_sent = do.get("sent packets", 0.0)
    ra_recv = ra.get("received packets", 0.0)
    loss = 100.0 * (1 - ra_recv / do_sent) if do_sent else 100.0
    status = "ok" if error is None and do else "error:" + "_".join((error or "no report").split()[:6])
    fields = [f"{rate:.0f}", f"{ra_recv / seconds:.0f}", f"{loss:.2f}", f"{do_sent:.0f}",
              f"{do.get('received packets', 0):.0f}", f"{ra.get('sent packets', 0):.0f}", f"{ra_recv:.0f}",
              f"{do.get('avg delay', 0):.3f}", f"{do.get('max delay', 0):.1f}",
              f"{ra.get('avg delay', 0):.3f}", f"{ra.get('max delay', 0):.1f}", status]
    print("\t".join(fields))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]))
