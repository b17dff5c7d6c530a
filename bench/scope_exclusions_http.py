#!/usr/bin/python3
"""Times scope changes and utilization over HTTP on a running fabric-ipam (a timed main, not a test).

  scope_exclusions_http.py BASE_URL TOKEN EXCLUSIONS [ROUNDS]

Creates a /16 scope (one pool over the whole network) with EXCLUSIONS single-address exclusions, then
ROUNDS times: POST one more exclusion, GET the utilization; prints the median and worst of each, and deletes
the scope. Run it against the jar before and after a change, on the same machine, one after the other.
"""
import json
import statistics
import sys
import time
import urllib.error
import urllib.request


def call(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=300) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    return status, text, time.monotonic() - started


def main(base, token, count, rounds):
    exclusions = []
    for i in range(count):
        a = f"10.44.{16 + i // 250}.{1 + i % 250}"
        exclusions.append({"start": a, "end": a})
    scope = {"name": "ap-bench-exclusions", "network": "10.44.0.0/16", "gateway": "10.44.0.1",
             "pools": [{"start": "10.44.0.2", "end": "10.44.255.254"}], "exclusions": exclusions}
    status, text, took = call(base, token, "POST", "/api/v1/scopes", scope)
    if status != 201:
        sys.exit(f"create: {status} {text[:300]}")
    sid = json.loads(text)["id"]
    print(f"created a /16 scope with {count:,} exclusions in {took * 1000:,.0f} ms")
    posts, gets = [], []
    for r in range(rounds):
        a = f"10.44.250.{1 + r}"
        status, text, took = call(base, token, "POST", f"/api/v1/scopes/{sid}/exclusions", {"start": a, "end": a})
        if status != 201:
            print(f"POST exclusion: {status} {text[:200]}")
            break
        posts.append(took)
        status, text, took = call(base, token, "GET", f"/api/v1/scopes/{sid}/utilization")
        gets.append(took)
    call(base, token, "DELETE", f"/api/v1/scopes/{sid}?force=true")
    for name, values in (("POST .../exclusions", posts), ("GET .../utilization", gets)):
        if values:
            print(f"{name:<22} median {statistics.median(values) * 1000:8,.0f} ms   worst {max(values) * 1000:8,.0f} ms"
                  f"   ({len(values)} rounds)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 5)
