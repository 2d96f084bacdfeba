using System.Net;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Policy;

namespace Smallstep.Pki.Tests.Policy;

/// <summary>Builds policies from compact JSON (single quotes allowed) and checks names with them.</summary>
internal static class PolicyTestData
{
    /// <summary>A policy from its JSON text; <c>'</c> stands for <c>"</c> to keep test cases readable.</summary>
    public static NamePolicy Parse(string json, NamePolicyScope scope = NamePolicyScope.Authority, string path = "authority.policy")
    {
        using var document = JsonDocument.Parse(json.Replace('\'', '"'));
        return NamePolicy.Parse(document.RootElement, path, scope);
    }

    /// <summary>A policy whose <c>x509</c> member is <paramref name="x509"/>.</summary>
    public static NamePolicy X509(string x509) => Parse($"{{'x509':{x509}}}");

    /// <summary>SANs of one type each, from strings (IPs parsed).</summary>
    public static SubjectAlternativeNames Sans(string[]? dns = null, string[]? ips = null, string[]? emails = null, string[]? uris = null) =>
        new(dns ?? [], emails ?? [], (ips ?? []).Select(IPAddress.Parse).ToList(), uris ?? []);

    /// <summary>
    /// Runs <paramref name="check"/>: null when it passes, else the refusal's client message
    /// (the exception must be a Forbidden <see cref="PkiException"/>).
    /// </summary>
    public static string? Refusal(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (PkiException e)
        {
            e.Kind.Should().Be(PkiErrorKind.Forbidden, e.Message);
            return e.Message;
        }
    }

    /// <summary>The details (rule) of a name policy refusal.</summary>
    public static NamePolicyViolationException Details(Action check)
    {
        var e = check.Should().Throw<PkiException>().Which;
        e.Kind.Should().Be(PkiErrorKind.Forbidden);
        return e.InnerException.Should().BeOfType<NamePolicyViolationException>().Subject;
    }

    /// <summary>A minimal certificate description.</summary>
    public static X509CertificateDescription Description(string commonName = "", SubjectAlternativeNames? sans = null) => new()
    {
        Subject = DistinguishedName.FromCommonName(commonName),
        Sans = sans ?? SubjectAlternativeNames.Empty,
        PublicKey = new SubjectPublicKey(PublicKeyKind.Ec, 256, null, []),
    };
}
