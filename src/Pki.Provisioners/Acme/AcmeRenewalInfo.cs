using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Go;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// ACME Renewal Information (RFC 9773; beyond step-ca): the suggested renewal window of a
/// certificate this CA issued, named by its certificate identifier
/// (<see cref="RenewalInfo.AcmeCertificateIdentifier"/>, §4.1), with the window of
/// <see cref="RenewalInfo.RenewalWindow"/> (§4.2). Thread-safe.
/// </summary>
public sealed class AcmeRenewalInfo(ICertificateStore certificates, IRevocationStore revocations, IAcmeStore store, TimeProvider time)
{
    /// <summary><c>GET renewalInfo/{certID}</c>.</summary>
    public async ValueTask<AcmeResult> GetAsync(string certificateId, CancellationToken cancellationToken)
    {
        using var certificate = await FindAsync(certificateId, cancellationToken).ConfigureAwait(false);
        var window = await WindowAsync(certificate, cancellationToken).ConfigureAwait(false);
        return new AcmeResult(200, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("suggestedWindow");
            json.WriteString("start", GoTimeJson.Format(Truncate(window.Start)));
            json.WriteString("end", GoTimeJson.Format(Truncate(window.End)));
            json.WriteEndObject();
            json.WriteEndObject();
        })
        { RetryAfter = RenewalInfo.RenewalWindow.RetryAfter };
    }

    /// <summary>
    /// new-order <c>replaces</c> (§5): the named certificate must exist, have been ordered by
    /// <paramref name="accountId"/>, share an identifier with the new order, and not be replaced
    /// already by an order that has not failed (<c>alreadyReplaced</c>). Returns the claim to record
    /// with the new order.
    /// </summary>
    public async ValueTask<AcmeReplacement> CheckReplacesAsync(string certificateId, string accountId, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        using var certificate = await FindAsync(certificateId, cancellationToken).ConfigureAwait(false);
        var serial = new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = await store.GetCertificateIdBySerialAsync(serial, cancellationToken).ConfigureAwait(false);
        var issued = id is null ? null : await store.GetCertificateAsync(id, cancellationToken).ConfigureAwait(false);
        if (issued is null || issued.AccountId != accountId)
        {
            throw AcmeErrors.Malformed("replaces names a certificate this account did not order");
        }
        if (!identifiers.Any(i => Names(certificate, i)))
        {
            throw AcmeErrors.Malformed("replaces names a certificate that shares no identifier with the order");
        }
        var current = await store.GetReplacingOrderIdAsync(issued.Id, cancellationToken).ConfigureAwait(false);
        // An order that failed or expired unfinished no longer replaces anything: a new one may take over.
        if (current is not null && await store.GetOrderAsync(current.Value, cancellationToken).ConfigureAwait(false) is { } replacing
            && replacing.Value.Status != AcmeStatus.Invalid
            && !(replacing.Value.Status is AcmeStatus.Pending or AcmeStatus.Ready && replacing.Value.ExpiresAt <= time.GetUtcNow()))
        {
            throw AlreadyReplaced();
        }
        return new AcmeReplacement(issued.Id, current);
    }

    /// <summary>RFC 9773 §7.4's <c>alreadyReplaced</c>: another order already replaces the certificate.</summary>
    public static Errors.PkiException AlreadyReplaced() =>
        AcmeErrors.Problem("alreadyReplaced", "the certificate named by replaces is already being replaced by another order", Errors.PkiErrorKind.Conflict);

    private static bool Names(X509Certificate2 certificate, AcmeIdentifier identifier)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (names is null)
        {
            return false;
        }
        return identifier.Type == "ip"
            ? System.Net.IPAddress.TryParse(identifier.Value, out var ip) && names.EnumerateIPAddresses().Contains(ip)
            : names.EnumerateDnsNames().Any(n => string.Equals(n, identifier.Value, StringComparison.OrdinalIgnoreCase));
    }

    private async ValueTask<RenewalInfo.RenewalWindow> WindowAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var serial = new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var revoked = await revocations.IsRevokedAsync(serial, cancellationToken).ConfigureAwait(false);
        return RenewalInfo.RenewalWindow.For(new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), revoked, AcmeClock.Now(time));
    }

    // §4.1: the certificate identifier; an unknown one is 404, as a missing resource.
    private async ValueTask<X509Certificate2> FindAsync(string certificateId, CancellationToken cancellationToken)
    {
        if (!RenewalInfo.AcmeCertificateIdentifier.TryParse(certificateId, out var identifier) || identifier is null)
        {
            throw AcmeErrors.Malformed("the certificate identifier is not base64url(AKI).base64url(serial)");
        }
        var der = await certificates.GetDerAsync(identifier.SerialDecimal, cancellationToken).ConfigureAwait(false);
        X509Certificate2? certificate;
        try
        {
            certificate = der is null ? null : X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            certificate = null;
        }
        if (certificate is null || !identifier.Names(certificate))
        {
            certificate?.Dispose();
            throw AcmeErrors.NotFound("certificate");
        }
        return certificate;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
