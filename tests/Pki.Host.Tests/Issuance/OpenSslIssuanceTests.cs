using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Issuance;

/// <summary>
/// <c>POST /1.0/sign</c> against the fixture PKI with CSRs from the real <c>openssl</c> (EC P-256,
/// RSA 2048, Ed25519) and tokens from our <c>TokenSigner</c> and from python3-jwcrypto: the response
/// is step-ca's byte layout, the leaf passes <c>openssl verify</c> and has step-ca's profile, and
/// it is stored.
/// </summary>
public class OpenSslIssuanceTests
{
    private ServedPki _pki = null!;
    private HttpClient _client = null!;
    private TemporaryDirectory _work = null!;
    private OpenSsl _openssl = null!;

    public enum TokenMinter
    {
        TokenSigner,
        Jwcrypto,
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _pki = await ServedPki.StartFixtureCopyAsync();
        _client = _pki.CreateClient();
        _work = new TemporaryDirectory();
        _openssl = new OpenSsl(_work.Path);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _pki.DisposeAsync();
        _work.Dispose();
    }

    [Test]
    public async Task Issues_for_an_openssl_csr_with_any_key_type_and_token_minter(
        [Values] OpenSslKeyType keyType, [Values] TokenMinter minter)
    {
        if (minter == TokenMinter.Jwcrypto)
        {
            JwcryptoTokens.RequireAvailable();
        }
        var commonName = $"{keyType}-{minter}.host.test".ToLowerInvariant();
        string[] sans = keyType == OpenSslKeyType.EcP256 ? [commonName, "127.0.0.1"] : [commonName];
        var csr = _openssl.Csr(_openssl.NewKey(keyType), commonName,
            sans.Select(s => System.Net.IPAddress.TryParse(s, out _) ? "IP:" + s : "DNS:" + s).ToArray());
        var token = minter == TokenMinter.Jwcrypto
            ? JwcryptoTokens.SignToken(_pki.Provisioner, commonName, sans)
            : _pki.Provisioner.SignToken(commonName, sans);
        var certificatesBefore = _pki.CountRows("x509_certs");

        var requestedFrom = DateTimeOffset.UtcNow;
        using var response = await _client.PostJsonAsync("/1.0/sign", new { csr, ott = token });
        var requestedTo = DateTimeOffset.UtcNow;

        var issued = await response.ShouldBeIssuedAsync();
        issued.Body.Should().Be(issued.ExpectedFixtureBody(), "the layout of issued/sign-response.json with our leaf");
        issued.ChainPem.Should().Equal(issued.CrtPem, _pki.Intermediate.ExportCertificatePem() + "\n");
        var leafPath = _openssl.Save(issued.CrtPem, "leaf.crt");
        var verify = OpenSsl.Verify(Fixtures.Path("pki", "certs", "root_ca.crt"), Fixtures.Path("pki", "certs", "intermediate_ca.crt"), leafPath);
        verify.ExitCode.Should().Be(0, verify.Stderr + verify.Stdout);
        verify.Stdout.Trim().Should().Be(leafPath + ": OK");

        using var leaf = issued.Leaf;
        var keyUsage = keyType == OpenSslKeyType.Rsa2048
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        LeafProfile.ShouldBeStepLeaf(leaf, _pki.Intermediate, commonName, sans, keyUsage, "fixture-admin", _pki.Provisioner.KeyId, requestedFrom, requestedTo);
        leaf.PublicKey.Oid.Value.Should().Be(keyType switch
        {
            OpenSslKeyType.EcP256 => "1.2.840.10045.2.1",
            OpenSslKeyType.Rsa2048 => "1.2.840.113549.1.1.1",
            _ => "1.3.101.112",
        });

        _pki.CountRows("x509_certs").Should().Be(certificatesBefore + 1);
        SqliteRows.HasKey(_pki.DatabasePath, "x509_certs", issued.SerialDecimal).Should().BeTrue();
        SqliteRows.HasKey(_pki.DatabasePath, "x509_certs_data", issued.SerialDecimal).Should().BeTrue();
    }
}
