using System.Reflection;

namespace Smallstep.Pki.Host.Cli;

/// <summary>The help text.</summary>
internal static class Usage
{
    public static string Version { get; } =
        typeof(Usage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public const string Text = """
        Usage:
          pki-host [serve] [CONFIG] [--password-file FILE]
              Serve the CA described by CONFIG (default $STEPPATH/config/ca.json; STEPPATH
              defaults to ~/.step). With no CONFIG and no file there, a new PKI is created first
              and served on 127.0.0.1:9000.
          pki-host init --name NAME --dns DNS [--dns DNS2] --address ADDR --provisioner NAME
                        --password-file FILE [--provisioner-password-file FILE]
                        [--deployment-type standalone]
                        [--root-template FILE] [--intermediate-template FILE] [--ssh]
                        [--kms URI [--kms-root KEY-URI] [--kms-intermediate KEY-URI]]
              Write a new PKI (root, intermediate, encrypted keys, config/ca.json,
              config/defaults.json, a JWK provisioner) into $STEPPATH, like `step ca init`.
              A --password-file that does not exist is created (mode 0600) with a generated
              password. The template flags describe the CA certificates with X.509 templates
              (docs/templates.md), e.g. a path length for a longer chain or name constraints.
              --kms creates the root and intermediate keys in that key manager instead of files
              (pkcs11: ids 7331/7332, yubikey: slots 82/83 unless --kms-root/--kms-intermediate)
              and writes ca.json with kms {type, uri} and the key URIs (docs/kms.md).
              --ssh adds SSH user and host CA keys, the SSH configuration templates and an
              SSHPOP provisioner, as `step ca init --ssh` (docs/ssh.md).
          pki-host token SUBJECT [--san SAN]... [--provisioner NAME] [--password-file FILE]
                        [--ca-url URL] [--ca-config FILE] [--revoke]
              Print a one-time token for POST /1.0/sign (or /1.0/revoke with --revoke).
          pki-host db export [CONFIG|DB] [--format jsonl|csv] [--output FILE] [--pem]
                        [--kind x509|ssh] [--serial N] [--serial-prefix DIGITS] [--search TEXT]
                        [--provisioner NAME|ID] [--revoked yes|no] [--issued-after DATE]
                        [--issued-before DATE] [--expires-after DATE] [--expires-before DATE]
                        [--valid-at DATE]
              Stream the stored X.509 and SSH certificates matching the filters as JSON lines
              or CSV (to stdout unless --output).
          pki-host db prune [CONFIG|DB] --expired-before DATE [--dry-run] [--batch-size N]
              Remove expired certificates (never revoked ones), used tokens past their expiry
              and finished or abandoned ACME orders, authorizations, challenges and nonces.
          pki-host db migrate --from CONFIG|DB --to DB|CONFIG [--force] [--restart]
                        [--verify-only] [--batch-size N]
              Copy every table between databases (resumable), then compare row counts and
              SHA-256 checksums of both sides.
              DB: sqlite:PATH, postgresql://USER:PASSWORD@HOST:PORT/NAME,
              mysql://USER:PASSWORD@tcp(HOST:PORT)/NAME. DATE: 2025-01-31 or RFC 3339.
          pki-host acme eab add --provisioner NAME [--reference REF] [--ca-config FILE]
          pki-host acme eab list --provisioner NAME [--reference REF] [--ca-config FILE]
          pki-host acme eab remove --provisioner NAME --key-id ID [--ca-config FILE]
              Manage the external account binding keys of an ACME provisioner with requireEAB
              (docs/acme.md). add prints the key ID and the HMAC key (base64url) once; a running
              host accepts the key at once.
          pki-host kms create [--kms URI] [--kty EC|RSA] [--crv P256|P384|P521] [--size BITS] NAME
              Create a key in a key manager (pkcs11:, yubikey:, softkms:, ...; --kms defaults to
              NAME) and print {"name": KEY-URI, "publicKey": PEM} as `step kms create --json`.
          pki-host version

        Environment: STEPPATH, STEPDEBUG=1 (debug logging).

        """;
}
