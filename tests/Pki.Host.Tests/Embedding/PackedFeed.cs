using System.Globalization;

namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>
/// The five <c>src/</c> projects packed once per test run into a temporary folder feed, as the README
/// tells users to (<c>dotnet pack -o ./feed</c>). The packages get a version of their own
/// (<c>0.0.0-test.N</c>) so NuGet's global packages folder never hands an app an older pack of the
/// same version; <see cref="DisposeAsync"/> removes them from that folder again.
/// </summary>
internal sealed class PackedFeed : IAsyncDisposable
{
    public static readonly string[] PackageIds =
        ["Smallstep.Pki.Core", "Smallstep.Pki.Provisioners", "Smallstep.Pki.Kms", "Smallstep.Pki.Storage", "Smallstep.Pki.Host"];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PackedFeed? _shared;

    private PackedFeed(string directory, string version)
    {
        Directory = directory;
        Version = version;
    }

    /// <summary>The folder holding the <c>.nupkg</c> files.</summary>
    public string Directory { get; }

    /// <summary>The version of every package in the feed.</summary>
    public string Version { get; }

    public string PackagePath(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    /// <summary>
    /// Packs (once per test run) with the build output of this test run's configuration when it is
    /// there (<c>--no-build</c>), else builds while packing.
    /// </summary>
    public static async Task<PackedFeed> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await PackAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Deletes the shared feed and its packages in the global packages folder (end of the test run).</summary>
    public static async Task ReleaseSharedAsync()
    {
        if (_shared is { } feed)
        {
            _shared = null;
            await feed.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        TryDelete(Path.GetDirectoryName(Directory)!);
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var versions = Path.Combine(globalPackages, id.ToLowerInvariant());
            TryDelete(Path.Combine(versions, Version));
            if (System.IO.Directory.Exists(versions) && !System.IO.Directory.EnumerateFileSystemEntries(versions).Any())
            {
                TryDelete(versions);
            }
        }
        return ValueTask.CompletedTask;
    }

    private static async Task<PackedFeed> PackAsync()
    {
        var root = Fixtures.RepositoryRoot;
        var configuration = TestConfiguration();
        var work = System.IO.Directory.CreateTempSubdirectory("pki-feed-").FullName;
        var feed = Path.Combine(work, "feed");
        var version = "0.0.0-test." + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var built = PackageIds.All(id => File.Exists(Path.Combine(root, "src", id["Smallstep.".Length..], "bin", configuration, "net10.0", id + ".dll")));
        // The solution's packable projects are the five src/ projects (tests set IsPackable=false).
        string[] arguments = ["pack", Path.Combine(root, "Smallstep.Pki.sln"), "-c", configuration, "-o", feed, "-p:PackageVersion=" + version, "-v", "q", "--nologo"];
        await DotnetCli.RunCheckedAsync(root, TimeSpan.FromMinutes(4), built ? [.. arguments, "--no-build"] : arguments);
        return new PackedFeed(feed, version);
    }

    // bin/<Configuration>/net10.0/ of this test assembly.
    private static string TestConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static void TryDelete(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
