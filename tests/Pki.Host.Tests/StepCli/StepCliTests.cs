using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.StepCli;

/// <summary>
/// Base of the step CLI test classes: one served PKI (a copy of the step-ca fixture PKI) and one
/// step client bootstrapped against it, shared by the class's tests. Without a step binary the
/// class is ignored with the reason (after the host started: the base class's teardown stops it).
/// </summary>
public abstract class StepCliTests : ServedPkiTests
{
    /// <summary>The fixture's JWK provisioner (its key is encrypted with the fixture password).</summary>
    private protected const string Provisioner = "fixture-admin";

    /// <summary>The step client, bootstrapped with <c>step ca bootstrap --ca-url --fingerprint</c>.</summary>
    private protected StepCli Step { get; private set; } = null!;

    [OneTimeSetUp]
    public void BootstrapStep() => Step = StepCli.Bootstrap(Pki);

    [OneTimeTearDown]
    public void DeleteStepPath() => Step?.Dispose();
}
