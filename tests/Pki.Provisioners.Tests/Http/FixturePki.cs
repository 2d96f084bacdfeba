using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Http;

/// <summary>The step-ca 0.19 fixture certificates the HTTP tests serve and present.</summary>
internal static class FixturePki
{
    /// <summary>SHA-256 of the fixture root's DER (the token <c>sha</c> claim).</summary>
    public const string RootFingerprint = "d75281f45c11362c31c5d6e96c7b8802d9f68a8470a43876740f67925d080f3f";

    /// <summary>An instant inside the validity of the fixture leaves (issued 2026-11-22 13:31-13:35 UTC for 24 h).</summary>
    public static readonly DateTimeOffset LeafValidityInstant = new(2026, 11, 22, 14, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 Root() => Load("pki", "certs", "root_ca.crt");

    public static X509Certificate2 Intermediate() => Load("pki", "certs", "intermediate_ca.crt");

    /// <summary>The EC P-256 leaf of <c>issued/sign-response.json</c>.</summary>
    public static X509Certificate2 SignedLeaf() => Load("issued", "ec-p256.crt");

    /// <summary>The renewal of <see cref="SignedLeaf"/> (<c>issued/renew-response.json</c>).</summary>
    public static X509Certificate2 RenewedLeaf() => Load("issued", "ec-p256-renewed.crt");

    /// <summary>The signed leaf with its private key, for mutual TLS.</summary>
    public static X509Certificate2 SignedLeafWithKey() =>
        X509Certificate2.CreateFromPemFile(Fixtures.Path("issued", "ec-p256.crt"), Fixtures.Path("issued", "ec-p256.key"));

    /// <summary>The fixture CSR (PEM) of the signed leaf.</summary>
    public static string CsrPem() => Fixtures.Text("issued", "ec-p256.csr");

    public static TrustBundle Trust() => new([Root()], [], [Intermediate()]);

    public static IssuedCertificate Signed() => new(SignedLeaf().RawData, [Intermediate().RawData]);

    public static IssuedCertificate Renewed() => new(RenewedLeaf().RawData, [Intermediate().RawData]);

    private static X509Certificate2 Load(params string[] path) => X509Certificate2.CreateFromPem(Fixtures.Text(path));
}
