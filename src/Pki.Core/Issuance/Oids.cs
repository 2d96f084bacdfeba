namespace Smallstep.Pki.Issuance;

/// <summary>Object identifiers used when building and reading certificates.</summary>
internal static class Oids
{
    // RFC 5280 §4.2.1 certificate extensions.
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string KeyUsage = "2.5.29.15";
    public const string SubjectAltName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string NameConstraints = "2.5.29.30";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string CertificatePolicies = "2.5.29.32";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";

    // RFC 5280 §4.2.1.12 key purposes.
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>step's provisioner extension (go.step.sm/crypto x509util, StepOIDProvisioner).</summary>
    public const string StepProvisioner = "1.3.6.1.4.1.37476.9000.64.1";

    // PKCS#9 extensionRequest attribute (RFC 2985 §5.4.2).
    public const string ExtensionRequest = "1.2.840.113549.1.9.14";

    // Key algorithms.
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Ed25519 = "1.3.101.112";
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";

    // Signature algorithms (RFC 5758 §3.2, RFC 4055, RFC 8410).
    public const string EcdsaSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaSha512 = "1.2.840.10045.4.3.4";
    public const string RsaSha256 = "1.2.840.113549.1.1.11";
    public const string RsaSha384 = "1.2.840.113549.1.1.12";
    public const string RsaSha512 = "1.2.840.113549.1.1.13";
    public const string RsaSha1 = "1.2.840.113549.1.1.5";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string EcdsaSha1 = "1.2.840.10045.4.1";

    // X.520 attribute types in the order Go's pkix.Name writes them.
    public const string Country = "2.5.4.6";
    public const string Province = "2.5.4.8";
    public const string Locality = "2.5.4.7";
    public const string StreetAddress = "2.5.4.9";
    public const string PostalCode = "2.5.4.17";
    public const string Organization = "2.5.4.10";
    public const string OrganizationalUnit = "2.5.4.11";
    public const string CommonName = "2.5.4.3";
    public const string SerialNumber = "2.5.4.5";

    // PKCS#9 emailAddress (RFC 2985 §5.2.1), written as IA5String.
    public const string EmailAddress = "1.2.840.113549.1.9.1";

    // RFC 5280 §4.2.2.1 access methods.
    public const string Ocsp = "1.3.6.1.5.5.7.48.1";
    public const string CaIssuers = "1.3.6.1.5.5.7.48.2";

    // otherName types step's templates know (RFC 4043, RFC 4108, MS UPN).
    public const string PermanentIdentifier = "1.3.6.1.5.5.7.8.3";
    public const string HardwareModuleName = "1.3.6.1.5.5.7.8.4";
    public const string UserPrincipalName = "1.3.6.1.4.1.311.20.2.3";

    /// <summary>Whether the attribute type has a named field in Go's pkix.Name (x509util attributeTypeNames).</summary>
    public static bool IsNamedAttribute(string oid) => oid is Country or Province or Locality or StreetAddress or PostalCode
        or Organization or OrganizationalUnit or CommonName or SerialNumber;
}
