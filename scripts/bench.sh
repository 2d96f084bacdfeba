#!/usr/bin/env bash
# Builds the host and bench/Pki.Bench in Release, runs the benchmark (in-process signs/s, HTTPS
# POST /1.0/sign req/s at 1, 8 and 32 callers, p50/p99, peak RSS, a per-stage breakdown) and
# writes docs/benchmarks.md. Traffic goes to 127.0.0.1 only; the run is bounded (about two minutes
# on two cores, build excluded).
#   scripts/bench.sh            full run, writes docs/benchmarks.md
#   scripts/bench.sh --quick    a tenth of the requests (smoke test); pass --out FILE to keep docs/ as is
# Other options are passed to the program: --out FILE, --keep (leave the temporary PKI behind).
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Pki.Host/Pki.Host.csproj -c Release -v q -nologo
dotnet build bench/Pki.Bench/Pki.Bench.csproj -c Release -v q -nologo

load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
  echo "note: load average is $load; other work on this machine will lower the figures (see the 'other load' column)"
fi

exec dotnet bench/Pki.Bench/bin/Release/net10.0/Smallstep.Pki.Bench.dll \
  --host src/Pki.Host/bin/Release/net10.0/Smallstep.Pki.Host.dll "$@"
