using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Bench.Fixture;

/// <summary>
/// Requests prepared before the clock starts: for each i a fresh P-256 key, a CSR for
/// <c>PREFIX-i.bench.internal</c> (CN and DNS SAN) and a one-time token for the same name with its
/// own <c>jti</c>, as <c>step ca certificate</c> would send them.
/// </summary>
internal sealed class SignInputs
{
    private SignInputs(byte[][] csrDer, string[] tokens)
    {
        CsrDer = csrDer;
        Tokens = tokens;
    }

    public byte[][] CsrDer { get; }

    public string[] Tokens { get; }

    public int Count => Tokens.Length;

    /// <summary>Builds <paramref name="count"/> inputs in parallel; tokens get <c>iat</c> = now, so
    /// call this after the authority started (it refuses tokens minted before its start).</summary>
    public static SignInputs Prepare(TokenSigner signer, string audience, string rootFingerprint, string prefix, int count, string issuer = BenchPki.ProvisionerName)
    {
        var csrs = new byte[count][];
        var tokens = new string[count];
        Parallel.For(0, count, i =>
        {
            var name = $"{prefix}-{i}.bench.internal";
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var sans = new SubjectAlternativeNameBuilder();
            sans.AddDnsName(name);
            request.CertificateExtensions.Add(sans.Build());
            csrs[i] = request.CreateSigningRequest();
            tokens[i] = signer.Sign(new TokenDescriptor
            {
                Issuer = issuer,
                Subject = name,
                Audience = [audience],
                Sans = [name],
                Sha = rootFingerprint,
            });
        });
        return new SignInputs(csrs, tokens);
    }

    /// <summary>The <c>POST /1.0/sign</c> body of request <paramref name="i"/>: <c>{"csr":PEM,"ott":token}</c>.</summary>
    public byte[] JsonBody(int i)
    {
        var pem = PemEncoding.WriteString("CERTIFICATE REQUEST", CsrDer[i]);
        return Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["csr"] = pem, ["ott"] = Tokens[i] }));
    }
}
