using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioners.Jose;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// Finalize (RFC 8555 §7.4), certificate download (§7.4.2) and revoke-cert (§7.6). Issuance goes
/// through <see cref="ICertificateAuthority.IssueAsync"/> with a recording step that marks the order
/// valid and stores the ACME certificate rows in the certificate's own transaction. Thread-safe.
/// </summary>
public sealed class AcmeCertificates(IAcmeStore store, AcmeOrders orders, ICertificateAuthority authority, IRevocationStore revocations, TimeProvider time)
{
    /// <summary>The largest CSR accepted, DER bytes.</summary>
    public const int MaxCsrBytes = 16 * 1024;

    /// <summary>Finalize: the order must be ready; the CSR must name exactly its identifiers.</summary>
    public async ValueTask<AcmeResult> FinalizeAsync(AcmeVerifiedRequest request, AcmeProvisioner provisioner, string orderId, AcmeLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provisioner);
        var order = await orders.OwnedAsync(request, orderId, cancellationToken).ConfigureAwait(false);
        if (order.Value.Status != AcmeStatus.Ready)
        {
            throw AcmeErrors.Problem("orderNotReady", $"the order is {order.Value.Status}, not ready", PkiErrorKind.Forbidden);
        }
        var payload = AcmePayload.Object(request.Jws);
        var text = AcmePayload.String(payload, "csr") ?? throw AcmeErrors.Malformed("finalize needs a csr");
        if (text.Length > MaxCsrBytes * 4 / 3 + 4 || !Base64UrlCodec.TryDecode(text.TrimEnd('='), out var der) || der.Length > MaxCsrBytes)
        {
            throw AcmeErrors.BadCsr("the csr must be base64url DER of at most 16 KiB");
        }
        CertificationRequest csr;
        try
        {
            csr = CertificationRequest.Parse(der);
        }
        catch (PkiException e)
        {
            throw AcmeErrors.BadCsr("the csr is not a valid PKCS#10 request: " + e.Message);
        }
        var now = AcmeClock.Now(time);
        var valid = order.Value with { Status = AcmeStatus.Valid, CertificateId = AcmeIds.New() };
        var intermediates = string.Concat(authority.Trust.Intermediates.Select(c => PemEncoding.WriteString("CERTIFICATE", c.RawData) + "\n"));
        var plan = provisioner.AuthorizeFinalize(csr, order.Value, store.FinalizeOrder(order, valid, intermediates, now));
        var signRequest = new SignRequest(csr, null, TimeDuration.At(order.Value.NotBefore), TimeDuration.At(order.Value.NotAfter)) { Provisioner = provisioner.Name };
        try
        {
            await authority.IssueAsync(signRequest, plan, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.ProblemType is null && e.Kind is PkiErrorKind.BadRequest or PkiErrorKind.Forbidden or PkiErrorKind.Unauthorized)
        {
            // Policy, validity or key refusals of the pipeline are the CSR's fault (RFC 8555 §7.4 badCSR).
            throw AcmeErrors.BadCsr(e.ClientMessage ?? e.Message);
        }
        return AcmeOrders.View(valid, links);
    }

    /// <summary>Certificate POST-as-GET: the leaf and its chain as <c>application/pem-certificate-chain</c>, to the ordering account only.</summary>
    public async ValueTask<AcmeResult> DownloadAsync(AcmeVerifiedRequest request, string certificateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AcmePayload.RequirePostAsGet(request.Jws);
        var certificate = await store.GetCertificateAsync(certificateId, cancellationToken).ConfigureAwait(false) ?? throw AcmeErrors.NotFound("certificate");
        if (request.Account?.Value.Id != certificate.AccountId)
        {
            throw AcmeErrors.Unauthorized("the certificate belongs to another account");
        }
        return new AcmeResult(200) { Text = certificate.LeafPem + certificate.IntermediatesPem, ContentType = "application/pem-certificate-chain" };
    }

    /// <summary>
    /// revoke-cert: signed by the account that ordered the certificate (<c>kid</c>) or by the
    /// certificate's own key (<c>jwk</c>); reasons 0–10 except 7 (RFC 5280 §5.3.1).
    /// </summary>
    public async ValueTask<AcmeResult> RevokeAsync(AcmeVerifiedRequest request, AcmeProvisioner provisioner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provisioner);
        var payload = AcmePayload.Object(request.Jws);
        var text = AcmePayload.String(payload, "certificate") ?? throw AcmeErrors.Malformed("revoke-cert needs a certificate");
        var reason = 0;
        if (payload.TryGetProperty("reason", out var reasonJson) && reasonJson.ValueKind != System.Text.Json.JsonValueKind.Null)
        {
            if (reasonJson.ValueKind != System.Text.Json.JsonValueKind.Number || !reasonJson.TryGetInt32(out reason) || reason is < 0 or > 10 or 7)
            {
                throw AcmeErrors.Problem("badRevocationReason", "the reason must be an RFC 5280 reason code 0-10 other than 7");
            }
        }
        if (!Base64UrlCodec.TryDecode(text.TrimEnd('='), out var der) || der.Length > CertificationRequest.MaxDerLength)
        {
            throw AcmeErrors.Malformed("the certificate must be base64url DER");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw AcmeErrors.Malformed("the certificate is not a valid X.509 certificate");
        }
        using (certificate)
        {
            var serial = new System.Numerics.BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = await store.GetCertificateIdBySerialAsync(serial, cancellationToken).ConfigureAwait(false);
            var issued = id is null ? null : await store.GetCertificateAsync(id, cancellationToken).ConfigureAwait(false);
            if (issued is null || !SameCertificate(issued.LeafPem, der))
            {
                throw AcmeErrors.NotFound("certificate");
            }
            var authorized = request.Account is { } account
                ? account.Value.Id == issued.AccountId
                : JsonWebKey.FromCertificate(certificate).HasSamePublicKey(request.Key);
            if (!authorized)
            {
                throw AcmeErrors.Unauthorized("only the ordering account or the certificate's key may revoke it", PkiErrorKind.Forbidden);
            }
            var record = new RevocationRecord(serial, provisioner.Id, reason, "", time.GetUtcNow(), certificate.NotAfter.ToUniversalTime(), "", false, true);
            if (!await revocations.TryRevokeAsync(record, cancellationToken).ConfigureAwait(false))
            {
                throw AcmeErrors.Problem("alreadyRevoked", "the certificate is already revoked");
            }
        }
        return new AcmeResult(200);
    }

    private static bool SameCertificate(string leafPem, byte[] der)
    {
        var start = leafPem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }
        try
        {
            var stored = PemEncoding.Find(leafPem.AsSpan(start));
            return Convert.FromBase64String(leafPem.Substring(start + stored.Base64Data.Start.Value, stored.Base64Data.End.Value - stored.Base64Data.Start.Value)).AsSpan().SequenceEqual(der);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }
}
