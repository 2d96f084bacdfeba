using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Smallstep.Pki.Tests;

/// <summary>
/// ARCHITECTURE.md's reference rules, checked on the project files and sources: who may
/// reference whom, Core free of ASP.NET and cloud SDKs, ASP.NET only in <c>*.Http</c> namespaces.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> AllowedProjectReferences = new()
    {
        ["Pki.Core"] = [],
        ["Pki.Kms"] = ["Pki.Core"],
        ["Pki.Storage"] = ["Pki.Core"],
        ["Pki.Provisioners"] = ["Pki.Core"],
        ["Pki.Host"] = ["Pki.Core", "Pki.Provisioners", "Pki.Kms", "Pki.Storage"],
    };

    private static readonly string[] CloudSdks = ["AWSSDK", "Google.", "Azure."];

    [TestCaseSource(nameof(Projects))]
    public void Project_references_follow_the_architecture(string project)
    {
        var references = ProjectFile(project).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToArray();
        references.Should().BeSubsetOf(AllowedProjectReferences[project]);
    }

    [Test]
    public void Core_references_neither_AspNetCore_nor_cloud_sdks()
    {
        var core = ProjectFile("Pki.Core");
        core.Descendants("FrameworkReference").Should().BeEmpty("Core must not reference ASP.NET Core");
        core.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value)
            .Should().NotContain(p => CloudSdks.Any(p.StartsWith) || p.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        SourceFiles("Pki.Core").Where(f => File.ReadAllText(f).Contains("Microsoft.AspNetCore", StringComparison.Ordinal))
            .Should().BeEmpty();
    }

    [Test]
    public void AspNetCore_types_appear_only_in_Http_namespaces()
    {
        var offenders = SourceFiles("Pki.Provisioners")
            .Where(f => File.ReadAllText(f).Contains("using Microsoft.AspNetCore", StringComparison.Ordinal))
            .Where(f => !HttpNamespace().IsMatch(File.ReadAllText(f)))
            .ToArray();
        offenders.Should().BeEmpty();
    }

    [Test]
    public void Kms_and_Storage_know_nothing_of_provisioners_or_http()
    {
        foreach (var project in new[] { "Pki.Kms", "Pki.Storage" })
        {
            SourceFiles(project).Where(f => ForbiddenInBackends().IsMatch(File.ReadAllText(f)))
                .Should().BeEmpty($"{project} must not know about provisioners or HTTP");
        }
    }

    private static IEnumerable<string> Projects() => AllowedProjectReferences.Keys;

    private static XDocument ProjectFile(string project) =>
        XDocument.Load(Path.Combine(Fixtures.RepositoryRoot, "src", project, project + ".csproj"));

    private static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(Fixtures.RepositoryRoot, "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^namespace [\w.]+\.Http;", RegexOptions.Multiline)]
    private static partial Regex HttpNamespace();

    [GeneratedRegex(@"using (Microsoft\.AspNetCore|Smallstep\.Pki\.Provisioners)")]
    private static partial Regex ForbiddenInBackends();
}
