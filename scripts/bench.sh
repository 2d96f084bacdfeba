#!/usr/bin/env bash
# Builds the host and bench/Pki.Bench in Release, runs the benchmark (in-process signs/s, HTTPS
# POST /1.0/sign req/s at 1, 8 and 32 callers, p50/p99, peak RSS, a per-stage breakdown) and
# writes docs/benchmarks.md. Traffic goes to 127.0.0.1 only; the run is bounded (about two minutes
# on two cores, build excluded).
#   scripts/bench.sh            full run, writes docs/benchmarks.md
#   scripts/bench.sh --quick    a tenth of the requests (smoke test); pass --out FILE to keep docs/ as is
#   scripts/bench.sh --against step-ca [--quick]
#                               our host and step-ca 0.19 alternately (A B A B) on copies of
#                               ../shared/fixtures/step-ca-0.19/pki, driven by the same clients (Go
#                               net/http from bench/goclient, .NET HttpClient, wrk + bench/wrk/sign.lua);
#                               writes the side-by-side section of docs/benchmarks.md (about 5 minutes).
#                               Builds step-ca 0.19 with ../shared/tools/step-ca-0.19/build.sh and the Go
#                               client into artifacts/ (git-ignored); installs golang-go,
#                               golang-github-smallstep-certificates-dev and wrk with apt-get when missing.
#     with it:  --rounds N               rounds of ours-then-step-ca (default 2)
#               --baseline-host A.dll[,B.dll] --baseline-name a[,b]
#                                        hosts built from earlier commits, run first in every round,
#                                        for before/after tables (build one: git archive C | tar -x -C
#                                        /tmp/c && dotnet build /tmp/c/src/Pki.Host -c Release)
#               --variant-env K=V[,K=V]  our host once more per round with that environment
#               --servers ours|step-ca   one server only (profiling)
#               --perf DIR               perf record (+ dotnet-counters) of each server's sign level at
#                                        32 callers and renew level; PKI_BENCH_PERF_CALLGRAPH=dwarf,8192
#                                        to see through OpenSSL; bench/profile/*.py summarise them
# Other options are passed to the program: --out FILE, --keep (leave the temporary PKI behind).
set -euo pipefail
cd "$(dirname "$0")/.."

against=""
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == --against ]]; then j=$((i + 1)); against="${!j:-}"; fi
done
extra=()
if [[ -n "$against" ]]; then
  [[ "$against" == step-ca ]] || { echo "--against: only step-ca is known" >&2; exit 2; }
  tools=${STEP_CA_TOOLS:-../shared/tools/step-ca-0.19}
  missing=()
  command -v go >/dev/null || missing+=(golang-go)
  dpkg-query -W -f='${Status}' golang-github-smallstep-certificates-dev 2>/dev/null | grep -q 'ok installed' || missing+=(golang-github-smallstep-certificates-dev)
  command -v wrk >/dev/null || missing+=(wrk)
  if ((${#missing[@]})); then
    apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; }
  fi
  if [[ ! -x artifacts/step-ca/step-ca ]]; then
    "$tools/build.sh" artifacts/step-ca
  fi
  (cd bench/goclient && GO111MODULE=off GOFLAGS= GOPROXY=off CGO_ENABLED=0 go build -o ../../artifacts/goclient/pki-bench-client .)
  extra=(--step-ca artifacts/step-ca/step-ca --go-client artifacts/goclient/pki-bench-client)
fi

dotnet build src/Pki.Host/Pki.Host.csproj -c Release -v q -nologo
dotnet build bench/Pki.Bench/Pki.Bench.csproj -c Release -v q -nologo

load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
  echo "note: load average is $load; other work on this machine will lower the figures (see the 'other load' column)"
fi

exec dotnet bench/Pki.Bench/bin/Release/net10.0/Smallstep.Pki.Bench.dll \
  --host src/Pki.Host/bin/Release/net10.0/Smallstep.Pki.Host.dll "${extra[@]}" "$@"
