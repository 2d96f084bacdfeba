using System.Net;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>A certificate file written by step (<c>step ca certificate|sign|renew</c>), read back and checked.</summary>
internal sealed class StepIssued : IDisposable
{
    private readonly X509Certificate2Collection _file;

    private StepIssued(X509Certificate2Collection file) => _file = file;

    /// <summary>The leaf (the file's first certificate).</summary>
    public X509Certificate2 Leaf => _file[0];

    /// <summary>
    /// Reads <paramref name="path"/> and checks what step-ca returns: the leaf followed by the
    /// intermediate, the leaf issued by the intermediate, and a chain to the root alone built by
    /// .NET's verifier now (or at the leaf's notBefore when that is in the future).
    /// </summary>
    public static StepIssued Read(string path, ServedPki pki) => Read(path, pki.Root, pki.Intermediate);

    /// <inheritdoc cref="Read(string, ServedPki)"/>
    public static StepIssued Read(string path, X509Certificate2 root, X509Certificate2 intermediate)
    {
        var issued = new StepIssued(StepCli.ReadCertificates(path));
        issued._file.Should().HaveCount(2, "step writes the leaf and the intermediate step-ca returned");
        issued._file[1].RawData.Should().Equal(intermediate.RawData);
        issued.Leaf.Issuer.Should().Be(intermediate.Subject);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issued._file[1]);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.VerificationTime = issued.Leaf.NotBefore > DateTime.Now ? issued.Leaf.NotBefore.AddSeconds(1) : DateTime.Now;
        chain.Build(issued.Leaf).Should().BeTrue(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        chain.ChainElements.Should().HaveCount(3);
        chain.ChainElements[2].Certificate.RawData.Should().Equal(root.RawData);
        return issued;
    }

    /// <summary>The DNS names of the leaf's subjectAltName extension.</summary>
    public IReadOnlyList<string> DnsNames => San?.EnumerateDnsNames().ToList() ?? [];

    /// <summary>The IP addresses of the leaf's subjectAltName extension.</summary>
    public IReadOnlyList<IPAddress> IpAddresses => San?.EnumerateIPAddresses().ToList() ?? [];

    /// <summary>The leaf's serial number in decimal, as step prints it and takes it.</summary>
    public string SerialDecimal => System.Numerics.BigInteger.Parse("0" + Leaf.SerialNumber, System.Globalization.NumberStyles.HexNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The leaf's validity in UTC.</summary>
    public (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Validity =>
        (new DateTimeOffset(Leaf.NotBefore.ToUniversalTime()), new DateTimeOffset(Leaf.NotAfter.ToUniversalTime()));

    private X509SubjectAlternativeNameExtension? San => Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();

    public void Dispose()
    {
        foreach (var certificate in _file)
        {
            certificate.Dispose();
        }
    }
}
