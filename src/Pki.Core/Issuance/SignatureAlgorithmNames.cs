namespace Smallstep.Pki.Issuance;

/// <summary>Go's <c>x509.SignatureAlgorithm.String()</c> names for signature OIDs (RSA-PSS needs its parameters, so it is left unnamed).</summary>
internal static class SignatureAlgorithmNames
{
    public static string Of(string oid) => oid switch
    {
        Oids.RsaSha1 => "SHA1-RSA",
        Oids.RsaSha256 => "SHA256-RSA",
        Oids.RsaSha384 => "SHA384-RSA",
        Oids.RsaSha512 => "SHA512-RSA",
        Oids.EcdsaSha1 => "ECDSA-SHA1",
        Oids.EcdsaSha256 => "ECDSA-SHA256",
        Oids.EcdsaSha384 => "ECDSA-SHA384",
        Oids.EcdsaSha512 => "ECDSA-SHA512",
        Oids.Ed25519 => "Ed25519",
        _ => "",
    };
}
