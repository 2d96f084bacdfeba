#!/usr/bin/env python3
"""Sorts the samples of `perf record -g` on our host (with DOTNET_PerfMapEnabled=1 and
DOTNET_EnableWriteXorExecute=0) into the stages of a request, so CPU per request can be split.

Usage: perf script -i ours.perf.data | bench/profile/perf-categories.py [--requests N] [--cpu-ms MS]

Each sample's call chain is walked from the leaf towards the root; the first frame that names a
stage decides (so OpenSSL work under CertificationRequest.Parse counts as the CSR check, and under
SslStream as TLS). Samples whose chain names no stage are reported by the library they ran in."""
import re, sys, collections

# (stage, regex over "symbol (dso)"), first match from the leaf wins.
STAGES = [
    # With --call-graph dwarf the chain reaches the .NET OpenSSL shim that called into libcrypto.
    ("EC public-key import (CSR key into OpenSSL)", r"CryptoNative_EcKeyCreateByKeyParameters|CryptoNative_EvpPkeySetEcKey|CryptoNative_EvpPkeyCreate|CryptoNative_EvpPkeyDestroy"),
    ("ECDSA P-256 verify (CSR self-signature, token ES256)", r"CryptoNative_EcDsaVerifyHash"),
    ("ECDSA P-256 sign (the certificate)", r"CryptoNative_EcDsaSignHash"),
    ("TLS record layer (OpenSSL SSL_read/SSL_write)", r"CryptoNative_Ssl|CryptoNative_Bio"),
    ("SHA-256, random (OpenSSL)", r"CryptoNative_EvpDigest|CryptoNative_GetRandomBytes|CryptoNative_Hmac"),
    ("CSR parse + EC key import + self-signature verify", r"CertificationRequest|SignatureVerifier|SubjectPublicKey"),
    ("token parse + ES256 verify + claims (JOSE)", r"Provisioners\.Jose|SignedToken|JwkProvisioner|TokenClaims|Provisioners\.Jwk"),
    ("TBS build, template, lint", r"TbsCertificateBuilder|X509Issuer\.|Templating|DefaultLeafTemplate|X509CertificateDescription|CertificateLint|Issuance\.Stages"),
    ("certificate signature (softkms ECDSA)", r"Kms\.Soft|SoftKms|EcdsaCertificateSigner|CertificateSigner"),
    ("SQLite (group commit, statements, fsync)", r"Storage\.Sqlite|SQLitePCL|Microsoft\.Data\.Sqlite|libe_sqlite3"),
    ("storage contracts (KeyValue stores, encodings)", r"Storage\.KeyValue|Storage\.Authority|Storage\.GoJson"),
    ("request logging", r"StepRequestLogging|Logging\.Console|ConsoleLogger|SimpleConsoleFormatter|LoggerMessage|Extensions\.Logging"),
    ("response (PEM + JSON)", r"IssuedCertificateResponse|StepResponseWriter"),
    ("request JSON decode", r"GoJsonRequest|SignEndpoint\+SignBody|CsrPem\.Decode|RequestBody"),
    ("TLS client-certificate chain (X509Chain)", r"X509Chain|ClientCertificateVerifier|ValidateClientCertificate"),
    ("TLS record layer + handshakes (SslStream, OpenSSL)", r"SslStream|System\.Net\.Security|libssl"),
    ("authority pipeline glue (Core)", r"Smallstep\.Pki\.Authority|Smallstep\.Pki\.Issuance|Smallstep\.Pki\.Provisioning|Smallstep\.Pki\.Policy|Smallstep\.Pki\.Provisioners"),
    ("Kestrel HTTP/1.1 + routing + sockets", r"AspNetCore|System\.Net\.Sockets|System\.IO\.Pipelines|System\.Net\.Http"),
    ("GC", r"gc_heap|GCHeap|WKS::|SVR::|GarbageCollect"),
]
COMPILED = [(n, re.compile(p)) for n, p in STAGES]

def leaf_bucket(frame):
    if "libcrypto" in frame: return "OpenSSL, caller not resolved"
    if "libcoreclr" in frame: return "runtime (GC, JIT, stubs), caller not resolved"
    if "kallsyms" in frame or "[k]" in frame: return "kernel, caller not resolved"
    if "libc.so" in frame: return "libc, caller not resolved"
    return "other, caller not resolved"

def main():
    args = sys.argv[1:]
    requests = float(args[args.index("--requests") + 1]) if "--requests" in args else None
    cpu_ms = float(args[args.index("--cpu-ms") + 1]) if "--cpu-ms" in args else None
    counts = collections.Counter(); total = 0; frames = []
    def flush():
        nonlocal total, frames
        if not frames: return
        total += 1
        for f in frames:
            for name, rx in COMPILED:
                if rx.search(f):
                    counts[name] += 1; frames = []; return
        counts[leaf_bucket(frames[0])] += 1; frames = []
    for line in sys.stdin:
        if not line.strip():
            flush(); continue
        if line.startswith("\t") or line.startswith(" "):
            frames.append(line.strip())
        else:
            flush()
    flush()
    print(f"{total} samples")
    print("| stage | share of host CPU |" + (" µs per request |" if cpu_ms and requests else ""))
    print("|---|---:|" + ("---:|" if cpu_ms and requests else ""))
    for name, n in counts.most_common():
        extra = f" {n / total * cpu_ms * 1000 / requests:.0f} |" if cpu_ms and requests else ""
        print(f"| {name} | {100 * n / total:.1f} % |{extra}")

main()
