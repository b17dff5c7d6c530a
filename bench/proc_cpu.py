#!/usr/bin/python3
"""CPU, run-queue wait and writes of processes and their threads between two snapshots of /proc, for
bench/dhcp-udp.sh.

  proc_cpu.py snap PID... > FILE      write a snapshot (JSON)
  proc_cpu.py diff BEFORE AFTER       print the machine's busy %, then per process: CPU % of a core,
                                      run-queue wait % (runnable but not running: CPU contention), bytes
                                      written (syscalls and to storage), and its busiest threads

Reading /proc ourselves needs nothing installed (pidstat is in sysstat, which the machine may lack) and
gives per-thread figures, which tell a Java server's I/O thread, workers, journal writer and GC apart. A
thread that is neither running nor waiting for a CPU is blocked (I/O, locks) or idle.
"""
import json
import os
import re
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def threads(pid):
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return out
    for tid in tids:
        stat = read(f"/proc/{pid}/task/{tid}/stat")
        sched = read(f"/proc/{pid}/task/{tid}/schedstat")
        if stat is None:
            continue
        # comm is in parentheses and may hold spaces; the fields after it are fixed
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        wait_ns = int(sched.split()[1]) if sched else 0
        out[tid] = {"comm": comm, "ticks": int(fields[11]) + int(fields[12]), "wait_ns": wait_ns}
    return out


def io(pid):
    text = read(f"/proc/{pid}/io") or ""
    return {k: int(v) for k, v in (line.split(": ") for line in text.splitlines() if ": " in line)}


def box():
    # first line of /proc/stat: jiffies of all cores by kind; idle and iowait are the unused ones
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return {"total": sum(v), "idle": v[3] + v[4]}


def snap(pids):
    json.dump({"t": time.monotonic(), "box": box(),
               "pids": {p: {"threads": threads(p), "io": io(p)} for p in pids}}, sys.stdout)


def group(comm):
    # Java names pool threads with a trailing number: fold them into one line per pool
    return re.sub(r"[-#]?\d+$", "-*", comm) if re.search(r"\d+$", comm) else comm


def mib(n):
    return f"{n / 1048576:.1f} MiB"


def diff(before_file, after_file):
    with open(before_file) as f:
        before = json.load(f)
    with open(after_file) as f:
        after = json.load(f)
    wall = after["t"] - before["t"]
    total = after["box"]["total"] - before["box"]["total"]
    idle = after["box"]["idle"] - before["box"]["idle"]
    if total > 0:
        print(f"machine: {100.0 * (total - idle) / total:.0f}% busy over {os.cpu_count()} cores (all tenants)")
    pct = lambda ticks: 100.0 * ticks / TICKS / wall if wall > 0 else 0.0
    wpct = lambda ns: 100.0 * ns / 1e9 / wall if wall > 0 else 0.0
    for pid, now in after["pids"].items():
        then = before["pids"].get(pid, {"threads": {}, "io": {}})
        pools, waits = {}, {}
        cpu = wait = 0
        for tid, t in now["threads"].items():
            was = then["threads"].get(tid, {"ticks": 0, "wait_ns": 0})
            used, waited = t["ticks"] - was["ticks"], t["wait_ns"] - was["wait_ns"]
            cpu, wait = cpu + used, wait + waited
            g = group(t["comm"])
            pools[g] = pools.get(g, 0) + used
            waits[g] = waits.get(g, 0) + waited
        name = now["threads"].get(pid, {}).get("comm", "?")
        d = {k: now["io"].get(k, 0) - then["io"].get(k, 0) for k in ("wchar", "write_bytes", "syscw")}
        print(f"{name} (pid {pid}): {pct(cpu):.0f}% of a core, run-queue wait {wpct(wait):.0f}%, wrote "
              f"{mib(d['wchar'])} in {d['syscw']} write calls ({mib(d['write_bytes'])} to storage)")
        busiest = sorted(pools.items(), key=lambda kv: -kv[1])[:7]
        detail = ", ".join(f"{g} {pct(t):.0f}% (wait {wpct(waits[g]):.0f}%)" for g, t in busiest if pct(t) >= 1)
        if detail and len(now["threads"]) > 1:
            print(f"  threads of {pid}: {detail}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "snap":
        snap(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
