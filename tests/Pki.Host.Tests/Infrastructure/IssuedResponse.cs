using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>A <c>POST /sign</c>, <c>/renew</c> or <c>/rekey</c> 201 body: <c>crt</c>, <c>ca</c>, <c>certChain</c>, <c>tlsOptions</c>.</summary>
internal sealed record IssuedResponse(string Body, string CrtPem, string CaPem, IReadOnlyList<string> ChainPem)
{
    /// <summary>The issued leaf.</summary>
    public X509Certificate2 Leaf => X509Certificate2.CreateFromPem(CrtPem);

    /// <summary>The leaf's serial in decimal, as step-ca keys its tables and as revoke tokens carry it.</summary>
    public string SerialDecimal => new System.Numerics.BigInteger(Leaf.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IssuedResponse Parse(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("crt", "ca", "certChain", "tlsOptions");
        return new IssuedResponse(
            body,
            root.GetProperty("crt").GetString()!,
            root.GetProperty("ca").GetString()!,
            root.GetProperty("certChain").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    /// <summary>
    /// The body step-ca 0.19 would send for this leaf: the fixture's <c>issued/sign-response.json</c>
    /// with its leaf replaced by ours (same intermediate, same tlsOptions, same member order).
    /// </summary>
    public string ExpectedFixtureBody()
    {
        var fixture = Fixtures.Text("issued", "sign-response.json");
        using var json = JsonDocument.Parse(fixture);
        var fixtureLeaf = json.RootElement.GetProperty("crt").GetString()!;
        return fixture.Replace(Escaped(fixtureLeaf), Escaped(CrtPem), StringComparison.Ordinal);
    }

    private static string Escaped(string pem) => pem.Replace("\n", "\\n", StringComparison.Ordinal);
}
