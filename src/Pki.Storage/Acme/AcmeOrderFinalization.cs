using System.Security.Cryptography;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Storage.Authority;

namespace Smallstep.Pki.Storage.Acme;

/// <summary>
/// The recording step of an ACME finalize (RFC 8555 §7.4): the order goes to <c>valid</c> only if it
/// is still as read (compare-and-swap), and the <c>acme_certs</c> and <c>acme_serial_certs_index</c>
/// rows are written from the signed leaf, all in the transaction of the <c>x509_certs</c> row
/// (step-ca writes them one after the other, so a crash could leave a certificate without its order).
/// Immutable.
/// </summary>
internal sealed class AcmeOrderFinalization : IIssuedCertificateRecordingStep
{
    private readonly AcmeOrder _valid;
    private readonly string _intermediatesPem;
    private readonly DateTimeOffset _issuedAt;

    public AcmeOrderFinalization(AcmeVersioned<AcmeOrder> current, AcmeOrder valid, string intermediatesPem, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(valid);
        if (string.IsNullOrEmpty(valid.CertificateId))
        {
            throw new ArgumentException("the finalized order must name its certificate", nameof(valid));
        }
        _valid = valid;
        _intermediatesPem = intermediatesPem ?? "";
        _issuedAt = issuedAt;
        Writes = [KeyValueOperation.CompareAndSwap(AcmeTables.Orders, StorageKeys.Text(valid.Id, "ACME order id"), current.Raw, AcmeRowJson.Order(valid))];
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValueOperation> Writes { get; }

    /// <inheritdoc />
    public IReadOnlyList<KeyValueOperation> WritesFor(StoredCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var id = _valid.CertificateId!;
        var leafPem = PemEncoding.WriteString("CERTIFICATE", certificate.Der) + "\n";
        var row = new AcmeCertificate(id, _issuedAt, _valid.AccountId, _valid.Id, leafPem, _intermediatesPem);
        return
        [
            KeyValueOperation.Set(AcmeTables.Certificates, StorageKeys.Text(id, "ACME certificate id"), AcmeRowJson.Certificate(row)),
            KeyValueOperation.Set(AcmeTables.SerialCertificatesIndex, StorageKeys.DecimalSerial(certificate.SerialDecimal), AcmeRowJson.Serial(certificate.SerialDecimal, id)),
        ];
    }

    /// <inheritdoc />
    public PkiException Conflict() =>
        new(PkiErrorKind.Conflict, $"ACME order {_valid.Id} changed while it was finalized") { ProblemType = AcmeProblem.UrnPrefix + "orderNotReady" };
}
