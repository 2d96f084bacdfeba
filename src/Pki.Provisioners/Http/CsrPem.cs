using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// The <c>csr</c> member of sign and rekey requests, read as step-ca's
/// <c>api.CertificateRequest.UnmarshalJSON</c> (api/api.go) and <c>Validate</c> (api/sign.go, api/rekey.go) do.
/// </summary>
internal static class CsrPem
{
    /// <summary>
    /// The DER of the first PEM block (any label, like Go's <c>pem.Decode</c>), which must be one DER
    /// SEQUENCE; null for <c>""</c> (and Go's <c>"null"</c> string). Throws <see cref="FormatException"/>,
    /// which the JSON phase reports as <c>error decoding json</c>, as step-ca does.
    /// </summary>
    public static byte[]? Decode(string pem)
    {
        if (pem.Length == 0 || pem == "null")
        {
            return null;
        }
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException("error decoding csr: no PEM block");
        }
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
        {
            throw new FormatException("error decoding csr: invalid base64");
        }
        if (!AsnDecoder.TryReadEncodedValue(der, AsnEncodingRules.DER, out var tag, out _, out _, out var consumed)
            || consumed != der.Length || tag != Asn1Tag.Sequence)
        {
            throw new FormatException("error decoding csr: not a DER SEQUENCE");
        }
        return der;
    }

    /// <summary>
    /// step-ca's <c>Validate</c>: <c>missing csr</c> when absent, <c>invalid csr</c> when the request
    /// does not parse or its self-signature does not verify (checked by Core's parser).
    /// </summary>
    public static CertificationRequest Require(byte[]? der)
    {
        if (der is null)
        {
            throw PkiException.BadRequest("missing csr");
        }
        try
        {
            return CertificationRequest.Parse(der);
        }
        catch (PkiException e)
        {
            throw PkiException.BadRequest("invalid csr", e);
        }
    }
}
