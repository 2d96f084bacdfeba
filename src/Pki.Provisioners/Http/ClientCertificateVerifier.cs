using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The TLS client certificate of a request, verified the way step-ca's TLS listener verifies it
/// before any handler runs (ca/ca.go <c>getTLSConfig</c>: <c>VerifyClientCertIfGiven</c> against the
/// roots, with the intermediates available for chain building, for the clientAuth purpose, at the
/// current time). Checked again here so the API fails closed whatever Kestrel's client-certificate
/// settings are (e.g. <c>AllowAnyClientCertificate</c>).
/// </summary>
/// <remarks>
/// A connection presents one client certificate for its whole life (TLS 1.3 has no renegotiation and
/// Kestrel does not renegotiate TLS 1.2 for it), so the verdict is kept in the connection's items
/// and a keep-alive client renewing many times pays for one chain build. The kept verdict is used
/// only for the same certificate, against the same trust bundle (a reload makes a new one), and only
/// while the current time is inside every chain element's validity.
/// </remarks>
internal static class ClientCertificateVerifier
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly object VerdictKey = new();

    /// <summary>
    /// The verified client certificate, or null when the client presented none. Throws an
    /// <see cref="PkiErrorKind.Unauthorized"/> error for a certificate that does not chain to the CA
    /// (where step-ca would already have failed the handshake).
    /// </summary>
    public static X509Certificate2? GetVerified(HttpContext http, TrustBundle trust, TimeProvider time)
    {
        var certificate = http.Connection.ClientCertificate;
        if (certificate is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(VerdictKey, out var kept) && kept is ChainVerdict verdict && verdict.Holds(certificate, trust, now))
        {
            return certificate;
        }
        var fresh = Verify(certificate, trust, now);
        if (items is not null)
        {
            items[VerdictKey] = fresh;
        }
        return certificate;
    }

    private static ChainVerdict Verify(X509Certificate2 certificate, TrustBundle trust, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trust.Roots.ToArray());
        policy.ExtraStore.AddRange(trust.Intermediates.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = now.UtcDateTime;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        if (!chain.Build(certificate))
        {
            var problems = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            throw PkiException.Unauthorized($"client certificate {certificate.Subject} (serial {certificate.SerialNumber}) is not trusted: {problems}");
        }
        var notBefore = DateTimeOffset.MinValue;
        var notAfter = DateTimeOffset.MaxValue;
        foreach (var element in chain.ChainElements)
        {
            var start = new DateTimeOffset(element.Certificate.NotBefore.ToUniversalTime());
            var end = new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime());
            notBefore = start > notBefore ? start : notBefore;
            notAfter = end < notAfter ? end : notAfter;
        }
        return new ChainVerdict(certificate, trust, notBefore, notAfter);
    }

    /// <summary>A chain built once on a connection: good for the same certificate and trust bundle while every element is valid.</summary>
    private sealed record ChainVerdict(X509Certificate2 Certificate, TrustBundle Trust, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
    {
        public bool Holds(X509Certificate2 certificate, TrustBundle trust, DateTimeOffset now) =>
            ReferenceEquals(trust, Trust)
            && (ReferenceEquals(certificate, Certificate) || certificate.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
            && now >= NotBefore && now <= NotAfter;
    }
}
