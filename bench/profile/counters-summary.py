#!/usr/bin/env python3
"""Summarises a `dotnet-counters collect --format csv` file of System.Runtime taken over one load
level (bench --perf): GC pause share of the host's CPU time, bytes allocated and GCs per request,
heap and working set. Usage: counters-summary.py FILE.csv REQUESTS"""
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1])))
requests = float(sys.argv[2])
rate = collections.defaultdict(float); peak = collections.defaultdict(float); seconds = set()
for r in rows:
    name, v = r["Counter Name"], float(r["Mean/Increment"] or 0)
    seconds.add(r["Timestamp"])
    if "/ 1 sec" in name:
        rate[name] += v  # per-second rates sampled each second: the sum is the total
    else:
        peak[name] = max(peak[name], v)
cpu = rate["dotnet.process.cpu.time (s / 1 sec)[cpu.mode=user]"] + rate["dotnet.process.cpu.time (s / 1 sec)[cpu.mode=system]"]
pause = rate["dotnet.gc.pause.time (s / 1 sec)"]
alloc = rate["dotnet.gc.heap.total_allocated (By / 1 sec)"]
gcs = {g: rate[f"dotnet.gc.collections ({{collection}} / 1 sec)[gc.heap.generation={g}]"] for g in ("gen0", "gen1", "gen2")}
print(f"seconds sampled: {len(seconds)}; host CPU {cpu:.2f} s; GC pause {pause:.3f} s = {100 * pause / cpu if cpu else 0:.1f} % of the CPU time; pauses are wall-clock, stretched when other processes take the cores)")
print(f"allocated: {alloc / requests / 1024:.1f} KiB per request (over the sampled seconds: {alloc / 2**20:.0f} MiB)")
print("collections: " + ", ".join(f"{g} {n:.0f}" for g, n in gcs.items()))
print(f"GC committed max {peak['dotnet.gc.last_collection.memory.committed_size (By)'] / 2**20:.0f} MiB; working set max {peak['dotnet.process.memory.working_set (By)'] / 2**20:.0f} MiB")
