using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Provisioners.Http;

namespace Smallstep.Pki.Tests.Http;

public class PemTextTests
{
    [TestCase("pki", "certs", "root_ca.crt")]
    [TestCase("pki", "certs", "intermediate_ca.crt")]
    [TestCase("issued", "rsa-2048.crt")]
    public void Certificates_are_written_exactly_as_gos_pem_encoder_wrote_the_fixtures(params string[] path)
    {
        var written = Fixtures.Text(path);
        var der = X509Certificate2.CreateFromPem(written).RawData;

        PemText.Certificate(der).Should().Be(written);
    }
}
