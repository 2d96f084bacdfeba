using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Soft.Files;

/// <summary>
/// Writes a new key file atomically with mode 0600 (step writes keys 0600, pemutil
/// <c>newContext</c>): the text goes to a temporary file in the same directory, is flushed to
/// disk, then is moved into place without replacing an existing file.
/// </summary>
internal static class KeyFileWriter
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>Fails early when a key would be written over an existing file.</summary>
    /// <exception cref="PkiException">BadRequest when <paramref name="path"/> exists.</exception>
    public static void EnsureAbsent(string path)
    {
        if (File.Exists(path))
        {
            throw AlreadyExists(path);
        }
    }

    /// <exception cref="PkiException">BadRequest when the file exists, Internal on I/O errors.</exception>
    public static void WriteNew(string path, string text)
    {
        var directory = Path.GetDirectoryName(path) ?? throw PkiException.BadRequest($"invalid key path {path}");
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            if (!Directory.Exists(directory))
            {
                // step creates its secrets directory 0700 (pki/pki.go).
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, OwnerOnlyDirectory);
                }
            }
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerReadWrite;
            }
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw File.Exists(path) ? AlreadyExists(path, e) : PkiException.Internal($"error writing key file {path}: {e.Message}", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static PkiException AlreadyExists(string path, Exception? inner = null) =>
        PkiException.BadRequest($"key file {path} already exists; softkms does not overwrite keys", inner);
}
