using System.Text;

namespace Smallstep.Pki.Host.Cli;

/// <summary>
/// Where key passwords come from, in step-ca's order (commands/app.go): <c>--password-file</c>
/// (whole file, trailing whitespace trimmed, leading kept), then ca.json <c>password</c>, then an
/// interactive prompt when a terminal is attached. The password is read once and reused (SIGHUP
/// does not re-read the file, as in step-ca).
/// </summary>
internal sealed class PasswordSource
{
    private readonly string? _file;
    private readonly string? _configured;
    private readonly Lock _gate = new();
    private string? _cached;

    public PasswordSource(string? file, string? configured)
    {
        _file = file;
        _configured = configured;
    }

    /// <summary>Reads a password file as step does; a file that cannot be read is a one-line error.</summary>
    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8).TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"error reading password file {path}: {e.Message}");
        }
    }

    /// <summary>The password for <paramref name="what"/>, or null when none can be had (the key must then be unencrypted).</summary>
    public string? Get(string what)
    {
        lock (_gate)
        {
            if (_cached is not null)
            {
                return _cached;
            }
            if (_file is not null)
            {
                return _cached = ReadFile(_file);
            }
            if (!string.IsNullOrEmpty(_configured))
            {
                return _cached = _configured;
            }
            if (Console.IsInputRedirected)
            {
                return null;
            }
            return _cached = Prompt($"Please enter the password to decrypt {what}: ");
        }
    }

    private static string Prompt(string message)
    {
        Console.Error.Write(message);
        var buffer = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return buffer.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                {
                    buffer.Length--;
                }
                continue;
            }
            buffer.Append(key.KeyChar);
        }
    }
}
