namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// PEM exactly as Go's <c>pem.EncodeToMemory</c> writes it (encoding/pem): the BEGIN line, base64 in
/// 64-character lines, the END line, each ended by <c>"\n"</c>. This is the form of every certificate
/// inside step-ca's JSON (<c>api.Certificate.MarshalJSON</c>) and of <c>/roots.pem</c>.
/// </summary>
internal static class PemText
{
    /// <summary>One PEM block with the given label.</summary>
    public static string Encode(string label, ReadOnlySpan<byte> der) =>
        // PemEncoding.Write (RFC 7468 strict form) uses the same 64-column "\n" lines but omits the final newline.
        string.Concat(new string(System.Security.Cryptography.PemEncoding.Write(label, der)), "\n");

    /// <summary>A <c>CERTIFICATE</c> block.</summary>
    public static string Certificate(ReadOnlySpan<byte> der) => Encode("CERTIFICATE", der);
}
