using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;

namespace Smallstep.Pki.Tests.Http;

/// <summary>
/// A certificate authority double: serves the fixture trust bundle, answers issuance with fixed
/// fixture certificates and records what the HTTP layer passed in.
/// </summary>
internal sealed class FakeCertificateAuthority : ICertificateAuthority
{
    public TrustBundle Trust { get; set; } = FixturePki.Trust();

    /// <summary>What sign and rekey return.</summary>
    public IssuedCertificate Issued { get; set; } = FixturePki.Signed();

    /// <summary>What renew returns.</summary>
    public IssuedCertificate Renewed { get; set; } = FixturePki.Renewed();

    /// <summary>When set, every operation throws it.</summary>
    public Exception? Failure { get; set; }

    public SignRequest? LastSign { get; private set; }

    public X509Certificate2? LastRenewed { get; private set; }

    public (X509Certificate2 Certificate, byte[] CsrDer)? LastRekey { get; private set; }

    public RevokeRequest? LastRevoke { get; private set; }

    public void Reset()
    {
        Trust = FixturePki.Trust();
        Issued = FixturePki.Signed();
        Renewed = FixturePki.Renewed();
        Failure = null;
        LastSign = null;
        LastRenewed = null;
        LastRekey = null;
        LastRevoke = null;
    }

    public Smallstep.Pki.Provisioning.Audiences Audiences { get; } = new(["127.0.0.1", "localhost"]);

    public Smallstep.Pki.Policy.INamePolicyEngine? NamePolicy => null;

    public ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        LastSign = request;
        return Answer(Issued);
    }

    public ValueTask<IssuedCertificate> IssueAsync(SignRequest request, Smallstep.Pki.Provisioning.SignAuthorization plan, CancellationToken cancellationToken = default) =>
        SignAsync(request, cancellationToken);

    public ValueTask<IssuedCertificate> RenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        LastRenewed = certificate;
        return Answer(Renewed);
    }

    public ValueTask<IssuedCertificate> RekeyAsync(X509Certificate2 certificate, Smallstep.Pki.Issuance.CertificationRequest csr, CancellationToken cancellationToken = default)
    {
        LastRekey = (certificate, csr.Der);
        return Answer(Issued);
    }

    public ValueTask RevokeAsync(RevokeRequest request, CancellationToken cancellationToken = default)
    {
        LastRevoke = request;
        return Failure is null ? ValueTask.CompletedTask : ValueTask.FromException(Failure);
    }

    private ValueTask<IssuedCertificate> Answer(IssuedCertificate result) =>
        Failure is null ? ValueTask.FromResult(result) : ValueTask.FromException<IssuedCertificate>(Failure);
}
