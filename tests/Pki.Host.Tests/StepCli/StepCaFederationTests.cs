using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// ca.json <c>federatedRoots</c> holding a second root that step itself made
/// (<c>step certificate create --profile root-ca</c>): <c>step ca roots</c> saves only the CA's root,
/// <c>step ca federation</c> the root and the federated root.
/// </summary>
public sealed class StepCaFederationTests : StepCliTests
{
    private TemporaryDirectory? _other;
    private string _otherRoot = "";

    private protected override Task<ServedPki> StartPkiAsync()
    {
        // Without step the base class ignores the tests after the host started.
        if (StepCli.TryLocate() is not { } step)
        {
            return base.StartPkiAsync();
        }
        _other = new TemporaryDirectory();
        _otherRoot = Path.Combine(_other.Path, "other_root.crt");
        var created = ExternalTool.Run(step, ["certificate", "create", "Other Federated Root", _otherRoot, Path.Combine(_other.Path, "other_root.key"),
            "--profile", "root-ca", "--no-password", "--insecure"]);
        created.ExitCode.Should().Be(0, created.Stderr);
        return ServedPki.StartFixtureCopyAsync(config => config["federatedRoots"] = new JsonArray(_otherRoot));
    }

    [OneTimeTearDown]
    public void DeleteOtherRoot() => _other?.Dispose();

    [Test]
    public void Roots_has_only_the_root_and_federation_adds_the_federated_root()
    {
        using var other = X509CertificateLoader.LoadCertificateFromFile(_otherRoot);
        var (roots, federation) = (Step.NewPath("roots.pem"), Step.NewPath("federation.pem"));

        Step.Run("ca", "roots", roots).ShouldSucceed();
        Step.Run("ca", "federation", federation).ShouldSucceed();

        StepCli.ReadCertificates(roots).Select(c => c.Thumbprint).Should().Equal(Pki.Root.Thumbprint);
        StepCli.ReadCertificates(federation).Select(c => c.Thumbprint).Should().BeEquivalentTo(new[] { Pki.Root.Thumbprint, other.Thumbprint });
    }
}
