using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Kms;

/// <summary>ARCHITECTURE.md: Pki.Kms knows Core only — no provisioners, HTTP, storage or host.</summary>
public class ProjectReferenceTests
{
    [Test]
    public void Kms_references_only_core_bouncycastle_and_the_framework()
    {
        var references = typeof(SoftKeyManager).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().Contain("Smallstep.Pki.Core");
        references.Where(n => n.StartsWith("Smallstep.", StringComparison.Ordinal)).Should().Equal("Smallstep.Pki.Core");
        references.Should().NotContain(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
