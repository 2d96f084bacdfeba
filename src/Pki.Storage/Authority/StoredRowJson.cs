using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>
/// How step-ca's JSON rows are written and read: current step-ca's <c>json.Marshal</c> (Go 1.22+)
/// byte for byte, because step-ca compares stored rows byte-wise (compare-and-swap with the
/// re-marshalled old value, storage.md §1); <c>json.Unmarshal</c> into a struct to read. A malformed
/// row is our own data gone bad: an internal error naming the row, never a client error.
/// </summary>
internal static class StoredRowJson
{
    /// <summary>The layout and escaping of a stored row.</summary>
    public static GoJsonFormat Format => GoJsonFormat.Go122Marshal;

    /// <summary>Parses a row, which must be one JSON object; <paramref name="what"/> names it in errors (e.g. <c>revoked_x509_certs row 123</c>).</summary>
    /// <exception cref="PkiException">Kind Internal: the row is not such JSON, or a member has the wrong type.</exception>
    public static GoJsonObject Unmarshal(ReadOnlySpan<byte> json, string what) =>
        GoJsonObject.Unmarshal(json, maxDepth: 16, (member, expected, inner) => PkiException.Internal(
            member.Length == 0 ? $"stored {what} is malformed: not {expected}" : $"stored {what} is malformed: {member} is not {expected}",
            inner));
}
