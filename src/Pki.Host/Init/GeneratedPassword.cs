using System.Security.Cryptography;

namespace Smallstep.Pki.Host.Init;

/// <summary>A random password kept in a file only its owner can read, as the first run and <c>init</c> create it.</summary>
internal static class GeneratedPassword
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes a new random password (24 random bytes, base64) to <paramref name="path"/> and returns it.
    /// The file is created with mode 0600 (never replaced: an existing file is an error), its folder with
    /// 0700 when missing.
    /// </summary>
    /// <exception cref="Cli.CommandFailedException">The file cannot be created (it exists, or its folder cannot be written).</exception>
    public static async Task<string> WriteNewFileAsync(string path)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
            await using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            await using var writer = new StreamWriter(stream);
            await writer.WriteLineAsync(password).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Cli.CommandFailedException($"cannot create password file {path}: {e.Message}");
        }
        return password;
    }
}
