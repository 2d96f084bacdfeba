using System.Globalization;
using System.Text;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// <see cref="ISshCertificateStore"/> over step-ca's tables, written in one batch like step-ca's
/// <c>StoreSSHCertificate</c> (certificates db/db.go): <c>ssh_certs</c> (decimal serial → wire
/// blob); for host certificates <c>ssh_hosts</c> (lower-cased principal → serial) and
/// <c>ssh_host_principals</c> (lower-cased principal → <c>{"Serial":"…","Expiry":validBefore}</c>);
/// for user certificates <c>ssh_users</c> (lower-cased principal → serial). Thread-safe.
/// </summary>
/// <param name="store">The key-value store; its <see cref="StepTables.Authority"/> tables must exist.</param>
public sealed partial class KeyValueSshCertificateStore(IKeyValueStore store) : ISshCertificateStore
{
    private readonly IKeyValueStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly KeyValueIssuanceRecorder _recorder = new(store);

    /// <inheritdoc />
    public ValueTask CheckAsync(IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default) =>
        _recorder.CheckAsync(steps, cancellationToken);

    /// <inheritdoc />
    public ValueTask RecordAsync(IReadOnlyList<SshCertificate> record, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default) =>
        _recorder.RecordAsync(Writes(record), steps, cancellationToken);

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(ulong serial, CancellationToken cancellationToken = default) =>
        _store.GetAsync(StepTables.SshCerts, Encoding.ASCII.GetBytes(serial.ToString(CultureInfo.InvariantCulture)), cancellationToken);

    private static List<KeyValueOperation> Writes(IReadOnlyList<SshCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var writes = new List<KeyValueOperation>();
        foreach (var certificate in certificates)
        {
            var description = certificate.Description;
            var serial = description.Serial.ToString(CultureInfo.InvariantCulture);
            var serialBytes = Encoding.ASCII.GetBytes(serial);
            writes.Add(KeyValueOperation.Set(StepTables.SshCerts, serialBytes, certificate.Blob));
            foreach (var principal in description.Principals)
            {
                // Keys are at most 255 bytes (nosql's SQL schema); a longer principal cannot be
                // indexed by any step-ca backend, so only the certificate row records it.
                var key = Encoding.UTF8.GetBytes(principal.ToLowerInvariant());
                if (key.Length is 0 or > KeyValueArguments.MaxKeyLength)
                {
                    continue;
                }
                if (description.Type == SshCertificateType.Host)
                {
                    writes.Add(KeyValueOperation.Set(StepTables.SshHosts, key, serialBytes));
                    writes.Add(KeyValueOperation.Set(StepTables.SshHostPrincipals, key, HostPrincipalJson(serial, description.ValidBefore)));
                }
                else
                {
                    writes.Add(KeyValueOperation.Set(StepTables.SshUsers, key, serialBytes));
                }
            }
        }
        return writes;
    }

    // db.go sshHostPrincipalData: Go field names, Expiry the uint64 validBefore.
    private static byte[] HostPrincipalJson(string serial, DateTimeOffset? validBefore)
    {
        var expiry = validBefore is { } before ? Math.Max(0, before.ToUnixTimeSeconds()) : 0;
        return Encoding.UTF8.GetBytes($"{{\"Serial\":\"{serial}\",\"Expiry\":{expiry.ToString(CultureInfo.InvariantCulture)}}}");
    }
}
