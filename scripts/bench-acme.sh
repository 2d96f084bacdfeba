#!/usr/bin/env bash
# ACME full-order benchmark: Debian's Pebble (Let's Encrypt's test server) and, once it has an ACME
# server, our host, driven alternately by the same client (bench/acmeclient: Go, golang.org/x/crypto/acme
# from Debian's golang-golang-x-crypto-dev, built offline in GOPATH mode into artifacts/). Each order is
# new-order -> http-01 (answered by the client on the validator's port) -> finalize with a new P-256 CSR
# -> download, one identifier per order, a new account key per worker. Levels: 1 and 16 workers. Every
# (round, server, level) gets a freshly started server on free 127.0.0.1 ports. Writes the table into
# docs/benchmarks.md between <!-- acme:begin --> and <!-- acme:end --> (nothing else on the page changes).
#   scripts/bench-acme.sh                 Pebble only (our host's column says "pending"), 2 rounds
#   scripts/bench-acme.sh --servers pebble,ours
#                                         also our host (start_ours below)
#     --rounds N          rounds of pebble-then-ours (default 2)
#     --orders1 N         timed orders at 1 worker (default 200)
#     --orders16 N        timed orders at 16 workers (default 800)
#     --warm1 N, --warm16 N  untimed orders first, at 1 and 16 workers (default 10 and 32)
#     --identifier ip|dns ip: 127.0.0.1 (RFC 8738; default). dns: names under bench.test, resolved to
#                         127.0.0.1 by a private bind9 started here and given to each server as resolver
#     --out FILE          write the section into FILE instead of docs/benchmarks.md
#     --quick             a tenth of the orders, --out defaults to /dev/stdout (smoke test)
# Pebble runs with PEBBLE_VA_NOSLEEP=1 (no random validation sleeps), PEBBLE_WFE_NONCEREJECT=0 (no
# injected badNonce) and PEBBLE_AUTHZREUSE=0 (every order is validated).
set -euo pipefail
cd "$(dirname "$0")/.."

servers=pebble rounds=2 orders1=200 orders16=800 warm1=10 warm16=32 identifier=ip out=docs/benchmarks.md quick=0
while (($#)); do
  case "$1" in
    --servers) servers=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --orders1) orders1=$2; shift 2 ;;
    --orders16) orders16=$2; shift 2 ;;
    --warm1) warm1=$2; shift 2 ;;
    --warm16) warm16=$2; shift 2 ;;
    --identifier) identifier=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if ((quick)); then
  orders1=$((orders1 / 10)) orders16=$((orders16 / 10))
  [[ "$out" == docs/benchmarks.md ]] && out=/dev/stdout
fi

missing=()
command -v go >/dev/null || missing+=(golang-go)
[[ -d /usr/share/gocode/src/golang.org/x/crypto/acme ]] || missing+=(golang-golang-x-crypto-dev)
[[ -x /usr/bin/pebble ]] || missing+=(pebble)
[[ "$identifier" == dns && ! -x /usr/sbin/named ]] && missing+=(bind9)
if ((${#missing[@]})); then
  apt-get install -y "${missing[@]}" || { apt-get update && apt-get install -y "${missing[@]}"; }
fi
(cd bench/acmeclient && GO111MODULE=off GOFLAGS= GOPROXY=off CGO_ENABLED=0 GOPATH=/usr/share/gocode \
  go build -o ../../artifacts/acmeclient/pki-acme-bench .)
client=artifacts/acmeclient/pki-acme-bench

work=$(mktemp -d /tmp/bench-acme.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# A throw-away root and a 127.0.0.1 certificate for the servers' HTTPS endpoints.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls-root.key" \
  -out "$work/tls-root.pem" -days 2 -subj "/CN=bench-acme TLS root" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls.key" -out "$work/tls.csr" \
  -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/tls.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/tls-root.pem" -CAkey "$work/tls-root.key" -CAcreateserial \
  -out "$work/tls.pem" -days 2 -extfile "$work/tls.ext" 2>/dev/null

# dns identifiers: a private bind9 answering 127.0.0.1 for every name under bench.test.
resolver=""
if [[ "$identifier" == dns ]]; then
  dns_port=$(free_port)
  mkdir -p "$work/dns"
  printf '$TTL 60\n@ IN SOA ns.bench.test. h.bench.test. 1 60 60 600 60\n@ IN NS ns.bench.test.\n* IN A 127.0.0.1\n' >"$work/dns/zone"
  cat >"$work/dns/named.conf" <<CONF
options { directory "$work/dns"; pid-file "$work/dns/pid"; session-keyfile "$work/dns/session.key";
  listen-on port $dns_port { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; };
controls { };
zone "bench.test" { type primary; file "$work/dns/zone"; };
CONF
  /usr/sbin/named -g -4 -c "$work/dns/named.conf" >"$work/dns/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "all zones loaded" "$work/dns/log" && break; sleep 0.1; done
  resolver="127.0.0.1:$dns_port"
fi

# start_pebble HTTP_PORT: starts Pebble, sets server_pid, server_dir (directory URL), server_ca.
start_pebble() {
  local port mport
  port=$(free_port) mport=$(free_port)
  cat >"$work/pebble.json" <<CONF
{"pebble": {"listenAddress": "127.0.0.1:$port", "managementListenAddress": "127.0.0.1:$mport",
 "certificate": "$work/tls.pem", "privateKey": "$work/tls.key", "httpPort": $1, "tlsPort": $(free_port),
 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
CONF
  local dns=()
  [[ -n "$resolver" ]] && dns=(-dnsserver "$resolver")
  : >"$work/server.log"
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
    /usr/bin/pebble -config "$work/pebble.json" -strict "${dns[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 100); do grep -q "ACME directory available" "$work/server.log" && break; sleep 0.1; done
  grep -q "ACME directory available" "$work/server.log" || { cat "$work/server.log"; exit 1; }
  server_dir="https://127.0.0.1:$port/dir" server_ca="$work/tls-root.pem"
}

# start_ours HTTP_PORT: our host with an ACME provisioner "acme" (as in
# tests/Pki.Host.Tests/Acme/RealClients/PkiHostAcmeServer.cs); the orders name 127.0.0.1, so the
# validator is allowed to connect to loopback.
start_ours() {
  local host=src/Pki.Host/bin/Release/net10.0/Smallstep.Pki.Host.dll step="$work/ours-$RANDOM" port
  [[ -f "$host" ]] || dotnet build src/Pki.Host/Pki.Host.csproj -c Release -v q -nologo >/dev/null
  port=$(free_port)
  mkdir -p "$step"
  STEPPATH=$step dotnet "$host" init --name "ACME bench" --dns localhost --dns 127.0.0.1 --address "127.0.0.1:$port" \
    --provisioner bench-admin --password-file "$step/password.txt" >/dev/null
  python3 - "$step/config/ca.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
config["authority"]["provisioners"].append({"type": "ACME", "name": "acme", "challenges": ["http-01", "dns-01", "tls-alpn-01"]})
json.dump(config, open(path, "w"), indent=2)
PY
  local dns=()
  [[ -n "$resolver" ]] && dns=(--resolver "$resolver")
  # Truncated here, not by the background redirection: that happens in the child, after the wait
  # loop below may already have read the previous server's "Serving HTTPS" line.
  : >"$work/server.log"
  STEPPATH=$step dotnet "$host" "$step/config/ca.json" --password-file "$step/password.txt" \
    --acme-http-port "$1" --acme-tls-port "$(free_port)" --acme-allow-loopback "${dns[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 300); do grep -q "Serving HTTPS on" "$work/server.log" && break; sleep 0.1; done
  grep -q "Serving HTTPS on" "$work/server.log" || { cat "$work/server.log"; exit 1; }
  server_dir="https://127.0.0.1:$port/acme/acme/directory" server_ca="$step/certs/root_ca.crt"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

results="$work/results.jsonl"
: >"$results"
started=$(date -u '+%Y-%m-%d %H:%M')
t0=$(date +%s)
load=$(cut -d' ' -f1-3 /proc/loadavg)
tick=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
  for server in ${servers//,/ }; do
    for level in 1 16; do
      if ((level == 1)); then n=$orders1 warm=$warm1; else n=$orders16 warm=$warm16; fi
      http_port=$(free_port)
      "start_$server" "$http_port"
      cpu0=$(cpu_ticks "$server_pid")
      line=$("$client" -dir "$server_dir" -cacert "$server_ca" -http-port "$http_port" -c "$level" -n "$n" \
        -warm "$warm" -identifier "$identifier" -timeout 30s) || line='{"errors":-1,"firstError":"client failed"}'
      cpu1=$(cpu_ticks "$server_pid")
      rss=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
      if grep -q '"hangs":[1-9]' <<<"$line"; then
        # A wedged server: keep its goroutine dump (Go servers print it on SIGQUIT) for the report.
        kill -QUIT "$server_pid" 2>/dev/null || true
        sleep 1
        cp "$work/server.log" "artifacts/acmeclient/hang-$server-c$level-round$round.log" 2>/dev/null || true
      fi
      stop_server
      echo "round $round $server c=$level: $line" >&2
      python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(round=int(sys.argv[2]), server=sys.argv[3], level=int(sys.argv[4]), serverCpuSeconds=(int(sys.argv[6])-int(sys.argv[5]))/int(sys.argv[7]), peakRssMiB=int(sys.argv[8])/1024); print(json.dumps(r))' \
        "$line" "$round" "$server" "$level" "$cpu0" "$cpu1" "$tick" "$rss" >>"$results"
    done
  done
done
took=$(($(date +%s) - t0))

python3 - "$results" "$out" "$started" "$took" "$load" "$identifier" "$servers" "$(git rev-parse --short HEAD)" \
  "$(nproc) × $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?')" "$warm1" "$warm16" <<'PY'
import json, sys, statistics
results_path, out, started, took, load, identifier, servers, source, cpu, pebble_version, warm1, warm16 = sys.argv[1:13]
runs = [json.loads(l) for l in open(results_path) if l.strip()]
names = {"pebble": f"Pebble {pebble_version} (Debian)", "ours": "our host"}
def cell(server, level, key, fmt):
    values = [r[key] for r in runs if r["server"] == server and r["level"] == level and key in r]
    if not values:
        return "pending"
    return fmt.format(statistics.mean(values))
def total(server, level, key):
    values = [r.get(key, 0) for r in runs if r["server"] == server and r["level"] == level]
    return "pending" if not values else str(sum(values))
lines = []
L = lines.append
L("## ACME full orders against Pebble (`scripts/bench-acme.sh`)")
L("")
L(f"Run {started} UTC, {took} s, source {source}; {cpu}; load average when the run started: {load}.")
L("")
L("Each order: new-order with one `" + ("ip` identifier 127.0.0.1 (RFC 8738)" if identifier == "ip" else "dns` name under bench.test resolved to 127.0.0.1 by a private bind9") +
  " → http-01 answered by the client on the validator's port → finalize with a new P-256 CSR → download of the chain (checked: parsed, names the identifier, is for the CSR's key). "
  "Client: `bench/acmeclient` (Go, `golang.org/x/crypto/acme` from Debian), one new account key and account per worker, authorizations and orders polled every 5 ms, "
  f"closed loop; at 1 worker {warm1} untimed orders then the timed ones, at 16 workers {warm16} untimed then the timed ones. "
  "Every (round, server, level) runs on a freshly started server; servers and client share the same cores. "
  "Pebble runs with `PEBBLE_VA_NOSLEEP=1`, `PEBBLE_WFE_NONCEREJECT=0` and `PEBBLE_AUTHZREUSE=0`. "
  "A *hang* is an order not finished within 30 s; after 32 hangs a level stops starting orders. "
  "Cells are means over the rounds; errors and hangs are totals. *Server CPU ms/order* is the server process's user+system time over the level (warm-up included) divided by the orders sent.")
L("")
L("| workers | measure | " + " | ".join(names[s] for s in ["pebble", "ours"]) + " | ratio (ours ÷ Pebble) | goal |")
L("|---:|---|---:|---:|---:|---|")
for level in (1, 16):
    for key, label, fmt, goal in [("ordersPerSecond", "orders/s", "{:.1f}", "≥ 2×"), ("p50Ms", "p50 ms", "{:.1f}", ""), ("p99Ms", "p99 ms", "{:.1f}", ""),
                                  ("serverCpuSeconds", "server CPU ms/order", None, "")]:
        def value(server):
            if key == "serverCpuSeconds":
                values = [r[key] * 1000 / max(1, r.get("orders", 0) + (10 if level == 1 else 32)) for r in runs if r["server"] == server and r["level"] == level]
                return "pending" if not values else "{:.1f}".format(statistics.mean(values))
            return cell(server, level, key, fmt)
        a, b = value("pebble"), value("ours")
        ratio = "–"
        try:
            ratio = "{:.2f}×".format(float(b) / float(a))
        except ValueError:
            pass
        L(f"| {level} | {label} | {a} | {b} | {ratio} | {goal} |")
    L(f"| {level} | errors / hangs | {total('pebble', level, 'errors')} / {total('pebble', level, 'hangs')} | {total('ours', level, 'errors')} / {total('ours', level, 'hangs')} | | 0 / 0 |")
L("")
L("Every level of every run:")
L("")
L("| round | server | workers | timed orders | completed | orders/s | p50 ms | p99 ms | max ms | errors | hangs | finalize answered *processing* | download retries | HTTP requests | server CPU s | peak RSS MiB | first error |")
L("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in runs:
    L("| {round} | {server} | {level} | {orders} | {completed} | {ops:.1f} | {p50:.1f} | {p99:.1f} | {mx:.1f} | {errors} | {hangs} | {fp} | {dr} | {req} | {cpu:.2f} | {rss:.0f} | {fe} |".format(
        round=r["round"], server=names.get(r["server"], r["server"]), level=r["level"], orders=r.get("orders", 0), completed=r.get("completed", 0),
        ops=r.get("ordersPerSecond", 0), p50=r.get("p50Ms", 0), p99=r.get("p99Ms", 0), mx=r.get("maxMs", 0), errors=r.get("errors", 0), hangs=r.get("hangs", 0),
        fp=r.get("finalizeProcessing", 0), dr=r.get("downloadRetries", 0), req=r.get("httpRequests", 0), cpu=r.get("serverCpuSeconds", 0), rss=r.get("peakRssMiB", 0),
        fe=(r.get("firstError") or "").replace("|", "\\|")[:160]))
if "ours" not in servers.split(","):
    L("")
    L("*Our host: pending* — its ACME server is not merged yet; run `scripts/bench-acme.sh --servers pebble,ours` once it is.")
section = "\n".join(lines)
begin, end = "<!-- acme:begin (written by scripts/bench-acme.sh) -->", "<!-- acme:end -->"
if out == "/dev/stdout":
    print(section)
    sys.exit(0)
try:
    page = open(out).read()
except FileNotFoundError:
    page = "# Benchmarks\n"
block = begin + "\n" + section + "\n" + end + "\n"
b = page.find("<!-- acme:begin")
e = page.find(end)
if b >= 0 and e > b:
    page = page[:b] + block + "\n" + page[e + len(end):].lstrip("\n")
else:
    page = page.rstrip("\n") + "\n\n" + block
open(out, "w").write(page)
print(f"wrote the ACME section of {out}")
PY
