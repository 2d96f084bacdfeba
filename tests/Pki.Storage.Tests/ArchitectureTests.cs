using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage;

/// <summary>Storage must not know about provisioners, key managers, the host or HTTP (ARCHITECTURE.md).</summary>
[TestFixture]
public sealed class ArchitectureTests
{
    [Test]
    public void The_storage_assembly_references_only_core_sqlite_and_runtime_libraries()
    {
        var references = typeof(SqliteKeyValueStore).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        references.Should().Contain("Smallstep.Pki.Core").And.Contain("Microsoft.Data.Sqlite");
        references.Should().NotContain(name =>
            name.StartsWith("Smallstep.Pki.Provisioners") || name.StartsWith("Smallstep.Pki.Kms") || name.StartsWith("Smallstep.Pki.Host")
            || name.StartsWith("Microsoft.AspNetCore"));
    }
}
