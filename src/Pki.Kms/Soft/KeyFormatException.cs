namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// Raised inside softkms when key bytes are malformed, encrypted with another password or of an
/// unsupported kind. <see cref="PemPrivateKeyReader"/> turns it into a
/// <see cref="Errors.PkiException"/> naming the key source; it never leaves the assembly.
/// </summary>
internal sealed class KeyFormatException : Exception
{
    public KeyFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The message used whenever decrypted bytes turn out not to be a key.</summary>
    public static KeyFormatException IncorrectPassword(Exception? inner = null) =>
        new("incorrect password (or the encrypted key is corrupted)", inner);
}
