using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Go;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// ACME Renewal Information (RFC 9773; beyond step-ca): the suggested renewal window of a
/// certificate this CA issued, named by its certificate identifier
/// (<c>base64url(AKI keyIdentifier) "." base64url(serial)</c>, §4.1): the last third of its
/// lifetime, or the past when it is revoked (§4.2). Thread-safe.
/// </summary>
public sealed class AcmeRenewalInfo(ICertificateStore certificates, IRevocationStore revocations, IAcmeStore store, TimeProvider time)
{
    /// <summary>How long clients should wait before asking again (§4.3 <c>Retry-After</c>).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromHours(6);

    /// <summary><c>GET renewalInfo/{certID}</c>.</summary>
    public async ValueTask<AcmeResult> GetAsync(string certificateId, CancellationToken cancellationToken)
    {
        using var certificate = await FindAsync(certificateId, cancellationToken).ConfigureAwait(false);
        var (start, end) = await WindowAsync(certificate, cancellationToken).ConfigureAwait(false);
        return new AcmeResult(200, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("suggestedWindow");
            json.WriteString("start", GoTimeJson.Format(start));
            json.WriteString("end", GoTimeJson.Format(end));
            json.WriteEndObject();
            json.WriteEndObject();
        })
        { RetryAfter = RetryAfter };
    }

    /// <summary>new-order <c>replaces</c> (§5): the named certificate must exist and have been ordered by <paramref name="accountId"/>.</summary>
    public async ValueTask CheckReplacesAsync(string certificateId, string accountId, CancellationToken cancellationToken)
    {
        using var certificate = await FindAsync(certificateId, cancellationToken).ConfigureAwait(false);
        var serial = new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = await store.GetCertificateIdBySerialAsync(serial, cancellationToken).ConfigureAwait(false);
        var issued = id is null ? null : await store.GetCertificateAsync(id, cancellationToken).ConfigureAwait(false);
        if (issued is null || issued.AccountId != accountId)
        {
            throw AcmeErrors.Malformed("replaces names a certificate this account did not order");
        }
    }

    private async ValueTask<(DateTimeOffset Start, DateTimeOffset End)> WindowAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var serial = new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (await revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false))
        {
            var now = AcmeClock.Now(time);
            return (now - TimeSpan.FromHours(1), now);
        }
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var lifetime = notAfter - notBefore;
        return (Truncate(notBefore + lifetime * 2 / 3), Truncate(notBefore + lifetime * 5 / 6));
    }

    // §4.1: the certificate identifier; an unknown or malformed one is 404, as a missing resource.
    private async ValueTask<X509Certificate2> FindAsync(string certificateId, CancellationToken cancellationToken)
    {
        var parts = certificateId.Split('.');
        if (parts.Length != 2 || !Base64UrlCodec.TryDecode(parts[0], out var keyId) || !Base64UrlCodec.TryDecode(parts[1], out var serialBytes)
            || keyId.Length == 0 || serialBytes.Length is 0 or > 21)
        {
            throw AcmeErrors.Malformed("the certificate identifier is not base64url(AKI).base64url(serial)");
        }
        var serial = new BigInteger(serialBytes, isUnsigned: false, isBigEndian: true);
        var der = serial.Sign > 0 ? await certificates.GetDerAsync(serial.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false) : null;
        X509Certificate2? certificate = null;
        try
        {
            certificate = der is null ? null : X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            certificate = null;
        }
        var aki = certificate?.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        if (certificate is null || aki is not { } identifier || !identifier.Span.SequenceEqual(keyId))
        {
            certificate?.Dispose();
            throw AcmeErrors.NotFound("certificate");
        }
        return certificate;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
