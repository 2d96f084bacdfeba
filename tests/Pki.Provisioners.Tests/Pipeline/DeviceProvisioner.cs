using System.Security.Cryptography.X509Certificates;
using System.Text;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Issuance.Recording;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Ssh;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Tests.Pipeline;

/// <summary>
/// A provisioner type defined only in this test assembly: it authorizes by the TLS client certificate
/// alone (no token), is routed by the certificate's issuer, and records each device's enrollment with
/// the certificate it gets: once per device, atomically.
/// </summary>
internal sealed class DeviceProvisioner(ProvisionerConfig entry, ProvisionerBuildContext context, X509Certificate2 deviceCa) : Provisioner(entry, context), ISshSignProvisioner
{
    public const string EnrollmentTable = "device_enrollments";

    public override IReadOnlyList<ProvisionerRoutingKey> RoutingKeys => [ProvisionerRoutingKey.ClientCertificateIssuer(deviceCa.SubjectName.Name)];

    public override ValueTask<SignAuthorization> AuthorizeSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var device = Verify(context);
        var plan = CreateSignAuthorization(new TemplateInput(DistinguishedName.FromCommonName(device.GetNameInfo(X509NameType.SimpleName, false)), SubjectAlternativeNames.Split([])),
            new DeviceEnrollment(device, "x509"));
        return ValueTask.FromResult(plan);
    }

    public ValueTask<SshSignAuthorization> AuthorizeSshSignAsync(AuthorizationContext context, CancellationToken cancellationToken = default)
    {
        var device = Verify(context);
        var name = device.GetNameInfo(X509NameType.SimpleName, false);
        var plan = CreateSshSignAuthorization(new SshTemplateData(SshCertificateType.Host, name, [name]), new DeviceEnrollment(device, "ssh"));
        return ValueTask.FromResult(plan);
    }

    private X509Certificate2 Verify(AuthorizationContext context)
    {
        if (context.ClientCertificate is not { } device || device.IssuerName.Name != deviceCa.SubjectName.Name)
        {
            throw PkiException.Unauthorized("a device certificate is required");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(deviceCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(device) ? device : throw PkiException.Unauthorized("the device certificate does not chain to the device CA");
    }

    /// <summary>Each device enrolls once per certificate kind: insert-if-absent, committed with the certificate.</summary>
    private sealed class DeviceEnrollment(X509Certificate2 device, string kind) : IRecordingStep
    {
        public IReadOnlyList<KeyValueOperation> Writes { get; } =
            [KeyValueOperation.CompareAndSwap(EnrollmentTable, Encoding.ASCII.GetBytes($"{kind}/{device.SerialNumber}"), null, Encoding.ASCII.GetBytes(device.Thumbprint))];

        public PkiException Conflict() => PkiException.Forbidden($"device {device.SerialNumber} has already enrolled");
    }
}
