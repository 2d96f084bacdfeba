namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>Fenced code blocks of the repository's README, so tests run what the README prints.</summary>
internal static class ReadmeCodeBlock
{
    /// <summary>
    /// The first <c>```language</c> block after the heading <paramref name="heading"/> (e.g.
    /// <c>## Embedding the CA in an app</c>) and before the next heading of the same level, without the fences.
    /// </summary>
    public static string Extract(string heading, string language)
    {
        var lines = File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "README.md"));
        var level = heading[..(heading.IndexOf(' ', StringComparison.Ordinal) + 1)];
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no heading '{heading}'");
        }
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith(level, StringComparison.Ordinal); i++)
        {
            if (lines[i].TrimEnd() == "```" + language)
            {
                var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                return string.Join('\n', lines[(i + 1)..end]) + "\n";
            }
        }
        throw new InvalidOperationException($"README.md has no ```{language} block under '{heading}'");
    }
}
