#!/usr/bin/python3
"""Writes the same N bound leases for both servers of bench/restart/run: consecutive addresses from
POOL_START, MACs 02:50:xx:xx:xx:xx, expiring in a week.

  leases.py fabric N POOL_START FILE    CSV for H2's CSVREAD, inserted into fabric-ipam's lease table
  leases.py kea N POOL_START FILE       Kea 2.2's memfile lease4 CSV (the file kea-dhcp4 loads at start)
"""
import ipaddress
import sys
import time

WEEK = 7 * 24 * 3600


def main():
    kind, n, pool_start, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    first = int(ipaddress.IPv4Address(pool_start))
    now = int(time.time())
    expires = now + WEEK
    with open(path, "w") as f:
        if kind == "fabric":
            f.write("address,client_key,mac,started_at,expires_at\n")
            started = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(now))
            ends = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(expires))
            for i in range(n):
                mac = "02:50:%02x:%02x:%02x:%02x" % (i >> 24 & 0xFF, i >> 16 & 0xFF, i >> 8 & 0xFF, i & 0xFF)
                f.write("%d,hw:01%s,%s,%s,%s\n" % (first + i, mac.replace(":", ""), mac, started, ends))
        elif kind == "kea":
            # Kea 2.2 lease4 CSV: valid_lifetime and expire (absolute) give the client's last transmission;
            # state 0 = default (bound)
            f.write("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,"
                    "user_context\n")
            for i in range(n):
                mac = "02:50:%02x:%02x:%02x:%02x" % (i >> 24 & 0xFF, i >> 16 & 0xFF, i >> 8 & 0xFF, i & 0xFF)
                f.write("%s,%s,,%d,%d,1,0,0,,0,\n" % (ipaddress.IPv4Address(first + i), mac, WEEK, expires))
        else:
            raise SystemExit("usage: leases.py fabric|kea N POOL_START FILE")


if __name__ == "__main__":
    main()
