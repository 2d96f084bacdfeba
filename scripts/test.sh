#!/usr/bin/env bash
# Runs every test of the solution and ends with one line "N passed, M failed[, K skipped]".
# Installs the Debian packages the tests drive for real (openssl, OpenSSH's ssh-keygen, ssh and sshd, curl,
# python3-jwcrypto as an independent JOSE implementation, tzdata, and the ACME peers listed below) when they are missing.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/kill ] || need+=(procps)
/usr/bin/python3 -c 'import jwcrypto' 2>/dev/null || need+=(python3-jwcrypto)
# Time zone data: template time functions read zone abbreviations from /usr/share/zoneinfo.
[ -d /usr/share/zoneinfo/America ] || need+=(tzdata)
# ACME peers: real clients (certbot, lego, acme-tiny, dehydrated), bind9 for dns-01 and RFC 2136
# updates, dnsutils (nsupdate, dig).
command -v certbot >/dev/null || need+=(certbot)
command -v lego >/dev/null || need+=(lego)
command -v acme-tiny >/dev/null || need+=(acme-tiny)
command -v dehydrated >/dev/null || need+=(dehydrated)
[ -x /usr/sbin/named ] || need+=(bind9)
command -v nsupdate >/dev/null || need+=(dnsutils)
# Pebble (Let's Encrypt's test server) runs the same real-client tests as a reference; Go and
# x/crypto/acme build the key-rollover client (no Debian ACME client has key-change).
command -v pebble >/dev/null || need+=(pebble)
command -v go >/dev/null || need+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/crypto/acme ] || need+=(golang-golang-x-crypto-dev)
# Key managers: SoftHSM2 (a software PKCS#11 token), Yubico's PKCS#11 module (ykcs11: loaded, never
# given a device here), OpenSC's pkcs11-tool to inspect tokens, and swtpm + the TPM2 PKCS#11 module
# when they install.
[ -e /usr/lib/softhsm/libsofthsm2.so ] || need+=(softhsm2)
[ -e /usr/lib/x86_64-linux-gnu/libykcs11.so.2 ] || [ -e /usr/lib/x86_64-linux-gnu/libykcs11.so ] || need+=(ykcs11)
command -v pkcs11-tool >/dev/null || need+=(opensc)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || echo "warning: could not install ${need[*]}; tests that need them report themselves skipped"
fi

# The real `step` CLI (smallstep/cli 0.15.16), built offline from Debian's Go sources by the shared
# tools/step-cli/build.sh (beside the repository, like the fixtures) into the git-ignored artifacts/step-cli,
# once. The StepCli tests run PKI_STEP_CLI (a caller's own binary is kept) and report themselves skipped with
# PKI_STEP_CLI_SKIP as the reason when it could not be built.
step_cli=${PKI_STEP_CLI:-$PWD/artifacts/step-cli/bin/step}
if [ ! -x "$step_cli" ]; then
  step_cli_dir=$PWD/artifacts/step-cli
  step_cli=$step_cli_dir/bin/step
  step_cli_build=${PKI_STEP_CLI_BUILD:-$(cd .. && pwd)/shared/tools/step-cli/build.sh}
  step_pkgs=()
  for p in golang-go patch golang-github-smallstep-certificates-dev golang-github-smallstep-cli-dev \
           golang-github-smallstep-truststore-dev golang-github-pquerna-otp-dev golang-sslmate-src-go-pkcs12-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || step_pkgs+=("$p")
  done
  if [ ${#step_pkgs[@]} -gt 0 ]; then
    echo "installing: ${step_pkgs[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${step_pkgs[@]}") >/dev/null 2>&1 \
      || echo "warning: could not install ${step_pkgs[*]}"
  fi
  mkdir -p "$step_cli_dir"
  if [ ! -x "$step_cli_build" ]; then
    export PKI_STEP_CLI_SKIP="the step CLI build script $step_cli_build is missing (set PKI_STEP_CLI_BUILD)"
  elif ! "$step_cli_build" "$step_cli_dir" >"$step_cli_dir/build.log" 2>&1 || [ ! -x "$step_cli" ]; then
    export PKI_STEP_CLI_SKIP="the step CLI did not build (artifacts/step-cli/build.log ends: $(tail -1 "$step_cli_dir/build.log"))"
  fi
  if [ -n "${PKI_STEP_CLI_SKIP:-}" ]; then echo "warning: $PKI_STEP_CLI_SKIP; the StepCli tests are skipped"; fi
fi
if [ -x "$step_cli" ]; then export PKI_STEP_CLI=$step_cli; fi

# Real step-ca 0.19 (shared tools/step-ca-0.19/build.sh, the same Debian Go packages), once, into the
# git-ignored artifacts/step-ca: the ACME migration test makes its data with it. PKI_STEP_CA names it;
# without it that test reports itself skipped with PKI_STEP_CA_SKIP as the reason.
step_ca=${PKI_STEP_CA:-$PWD/artifacts/step-ca/step-ca}
if [ ! -x "$step_ca" ]; then
  step_ca_build=${PKI_STEP_CA_BUILD:-$(cd .. && pwd)/shared/tools/step-ca-0.19/build.sh}
  mkdir -p artifacts/step-ca
  if [ ! -x "$step_ca_build" ]; then
    export PKI_STEP_CA_SKIP="the step-ca build script $step_ca_build is missing (set PKI_STEP_CA_BUILD)"
  elif ! "$step_ca_build" "$PWD/artifacts/step-ca" >artifacts/step-ca/build.log 2>&1 || [ ! -x "$PWD/artifacts/step-ca/step-ca" ]; then
    export PKI_STEP_CA_SKIP="step-ca 0.19 did not build (artifacts/step-ca/build.log ends: $(tail -1 artifacts/step-ca/build.log))"
  fi
  step_ca=$PWD/artifacts/step-ca/step-ca
  if [ -n "${PKI_STEP_CA_SKIP:-}" ]; then echo "warning: $PKI_STEP_CA_SKIP; the step-ca migration test is skipped"; fi
fi
if [ -x "$step_ca" ]; then export PKI_STEP_CA=$step_ca; fi

results=$(mktemp -d)

# Real PostgreSQL and MariaDB for the SQL storage backends; their tests skip with a reason when
# the servers cannot be started.
if db_env=$(./scripts/db-servers.sh start 2>"$results/db-servers.log"); then
  eval "$db_env"
  trap './scripts/db-servers.sh stop >/dev/null 2>&1' EXIT
else
  echo "warning: database servers not started (see below); SQL backend tests are skipped"
  tail -5 "$results/db-servers.log"
fi
dotnet build Smallstep.Pki.sln -c Release -v q -nologo || { echo "0 passed, 1 failed"; exit 1; }
# Every src/ project must pack as a NuGet package.
dotnet pack Smallstep.Pki.sln -c Release --no-build -v q -nologo -o "$results/packages" >/dev/null \
  || { echo "dotnet pack failed"; echo "0 passed, 1 failed"; exit 1; }
dotnet test Smallstep.Pki.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" --logger "console;verbosity=minimal"
status=$?

# Sum the TRX counters of every test assembly and print skipped tests with their reasons.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") == "NotExecuted":
            skipped += 1
            reason = result.find("t:Output/t:StdOut", ns)
            message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
            text = (message.text if message is not None else None) or (reason.text if reason is not None else "no reason given")
            print(f"skipped: {result.get('testName')}: {text.strip()}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
PY
./scripts/db-servers.sh stop >/dev/null 2>&1
trap - EXIT
rm -rf "$results"
exit $status
