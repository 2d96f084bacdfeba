using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;
using Smallstep.Pki.Tests.Host.Issuance;

namespace Smallstep.Pki.Tests.Host.Parity;

/// <summary>
/// The listener's TLS as step-ca sets it up (http-api.md §1): a 24 h server leaf minted from the
/// intermediate for <c>dnsNames</c>, sent with its chain; ca.json <c>tls</c> limits TLS 1.2 to the
/// two ECDSA suites, checked with the real <c>openssl s_client</c>.
/// </summary>
public class ServerTlsTests
{
    private ServedPki _pki = null!;

    [OneTimeSetUp]
    public async Task Start() => _pki = await ServedPki.StartFixtureCopyAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _pki.DisposeAsync();

    [Test]
    public async Task Server_certificate_is_a_day_long_leaf_for_the_dns_names_sent_with_the_intermediate()
    {
        X509Certificate2? server = null;
        var chainSent = new List<byte[]>();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", _pki.BaseAddress.Port);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    server = new X509Certificate2(certificate!);
                    chainSent.AddRange(chain!.ChainPolicy.ExtraStore.Select(c => c.RawData));
                    return true;
                },
            });
        }

        using var _ = server;
        server!.Subject.Should().Be("CN=Step Online CA");
        server.Issuer.Should().Be(_pki.Intermediate.Subject);
        LeafProfile.SansOf(server).Should().Equal("localhost", "127.0.0.1");
        (server.NotAfter - server.NotBefore).Should().Be(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        chainSent.Should().ContainEquivalentOf(_pki.Intermediate.RawData);
    }

    [TestCase("ECDHE-ECDSA-AES128-GCM-SHA256", true)]
    [TestCase("ECDHE-ECDSA-CHACHA20-POLY1305", true)]
    [TestCase("ECDHE-ECDSA-AES256-GCM-SHA384", false)]
    public void Tls12_offers_only_the_configured_cipher_suites(string openSslCipher, bool accepted)
    {
        var result = SClient("-tls1_2", "-cipher", openSslCipher);

        var negotiated = result.Stdout.Contains("New, TLSv1.2, Cipher is " + openSslCipher, StringComparison.Ordinal)
            && result.Stdout.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal);
        negotiated.Should().Be(accepted, result.Stdout + result.Stderr);
    }

    [Test]
    public void Tls11_is_refused()
    {
        var result = SClient("-tls1_1");

        result.Stdout.Should().Contain("Cipher is (NONE)", result.Stderr);
        result.Stderr.Should().Contain("alert protocol version");
    }

    private ExternalTool.Result SClient(params string[] options)
    {
        ExternalTool.Require("openssl", "openssl");
        return ExternalTool.Run("openssl",
            ["s_client", "-connect", $"127.0.0.1:{_pki.BaseAddress.Port}", "-CAfile", _pki.Path("certs", "root_ca.crt"), .. options], stdin: "");
    }
}
