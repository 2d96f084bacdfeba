#!/usr/bin/env bash
# Signatures per second through softkms and PKCS#11 (SoftHSM2), EC P-256 and RSA 2048, at 1 and 4
# concurrent signers; writes the section between <!-- kms:begin --> and <!-- kms:end --> in
# docs/benchmarks.md (about 30 seconds after the build). Needs softhsm2 (apt-get install softhsm2);
# the token lives in a temporary directory removed afterwards.
#   scripts/bench-kms.sh [--seconds S] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
module=/usr/lib/softhsm/libsofthsm2.so
[[ -f $module ]] && command -v softhsm2-util >/dev/null || { echo "SoftHSM2 is needed: apt-get install softhsm2" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" > "$work/softhsm2.conf"
export SOFTHSM2_CONF=$work/softhsm2.conf
softhsm2-util --init-token --free --label bench --pin 1234 --so-pin 12345678 >/dev/null

dotnet build bench/Pki.Bench/Pki.Bench.csproj -c Release -v q -nologo
dotnet bench/Pki.Bench/bin/Release/net10.0/Smallstep.Pki.Bench.dll kms --module "$module" --token bench --pin 1234 "$@"
