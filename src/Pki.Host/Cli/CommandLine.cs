namespace Smallstep.Pki.Host.Cli;

/// <summary>
/// A parsed command line in step-ca's shape: an optional sub-command, positional arguments and
/// <c>--flag value</c> / <c>--flag=value</c> options (repeatable). Boolean flags take no value.
/// </summary>
internal sealed class CommandLine
{
    private static readonly HashSet<string> Commands = ["serve", "init", "token", "db", "acme", "kms", "help", "version"];
    private static readonly HashSet<string> BooleanFlags = ["help", "quiet", "insecure", "ssh", "acme", "force", "revoke", "dry-run", "pem", "restart", "verify-only", "acme-allow-loopback", "json"];
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private CommandLine(string command) => Command = command;

    /// <summary>The sub-command (<c>serve</c> when none is given).</summary>
    public string Command { get; }

    /// <summary>Positional arguments after the command.</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> on malformed input.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var start = 0;
        var command = "serve";
        if (args.Count > 0 && Commands.Contains(args[0]))
        {
            command = args[0];
            start = 1;
        }
        var line = new CommandLine(command);
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                line.Positionals.Add(arg);
                continue;
            }
            var name = arg[2..];
            string value;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (BooleanFlags.Contains(name))
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"flag --{name} needs a value");
            }
            if (!line._options.TryGetValue(name, out var list))
            {
                line._options[name] = list = [];
            }
            list.Add(value);
        }
        return line;
    }

    /// <summary>The last value of a flag, or null.</summary>
    public string? Get(string name) => _options.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable flag.</summary>
    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var list) ? list : [];

    /// <summary>Whether a boolean flag is set.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The value of a required flag; throws <see cref="UsageException"/> when missing.</summary>
    public string Require(string name) => Get(name) ?? throw new UsageException($"missing required flag --{name}");

    /// <summary>Throws when a flag outside <paramref name="allowed"/> was given (typos must not be ignored).</summary>
    public void RejectUnknown(params string[] allowed)
    {
        var unknown = _options.Keys.Where(k => !allowed.Contains(k) && k != "help").ToArray();
        if (unknown.Length > 0)
        {
            throw new UsageException($"unknown flag{(unknown.Length > 1 ? "s" : "")} for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}

/// <summary>A command-line mistake: printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>A command that cannot do its work (a file it cannot read or must not overwrite): one line, exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
