using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Soft.Pem;

namespace Smallstep.Pki.Kms.Soft.Files;

/// <summary>Reads a key file's text with a size bound and errors that name the file.</summary>
internal static class KeyFileText
{
    public static string Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > PemBlock.MaxTextLength)
            {
                throw PkiException.BadRequest($"error reading {path}: file is larger than {PemBlock.MaxTextLength} bytes, not a key");
            }
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw PkiException.NotFound($"key file {path} does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PkiException.Internal($"error reading {path}: {e.Message}", e);
        }
    }
}
