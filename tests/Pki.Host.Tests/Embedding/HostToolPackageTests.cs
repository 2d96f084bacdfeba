using System.IO.Compression;
using System.Xml.Linq;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>
/// <c>Smallstep.Pki.Host</c> packs as a .NET tool with the command <c>pki-host</c>, and installs and
/// runs the way docs/embedding.md says (<c>dotnet tool install --add-source ./feed</c>).
/// </summary>
public sealed class HostToolPackageTests
{
    [Test]
    public async Task Host_package_is_the_pki_host_dotnet_tool_and_installs_from_the_feed()
    {
        var feed = await PackedFeed.GetAsync();

        using (var package = ZipFile.OpenRead(feed.PackagePath("Smallstep.Pki.Host")))
        {
            var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml");
            settings.Should().NotBeNull("a dotnet tool package holds its settings; entries: {0}", string.Join(", ", package.Entries.Take(20).Select(e => e.FullName)));
            await using var stream = settings!.Open();
            var command = (await XDocument.LoadAsync(stream, LoadOptions.None, CancellationToken.None)).Descendants("Command").Single();
            command.Attribute("Name")!.Value.Should().Be("pki-host");
            command.Attribute("EntryPoint")!.Value.Should().Be("Smallstep.Pki.Host.dll");
            package.GetEntry("tools/net10.0/any/Smallstep.Pki.Host.dll").Should().NotBeNull();
        }

        using var work = new TemporaryDirectory();
        var tools = Path.Combine(work.Path, "tools");
        await DotnetCli.RunCheckedAsync(work.Path, TimeSpan.FromMinutes(2),
            "tool", "install", "--tool-path", tools, "--add-source", feed.Directory, "Smallstep.Pki.Host", "--version", feed.Version);
        var version = await DotnetCli.RunProgramAsync(Path.Combine(tools, "pki-host"), work.Path, TimeSpan.FromMinutes(1), "version");
        version.ExitCode.Should().Be(0, version.Output);
        version.Output.Should().StartWith("Smallstep.Pki/");
    }
}
