namespace Smallstep.Pki.Issuance;

/// <summary>
/// step's built-in leaf template (go.step.sm/crypto x509util <c>DefaultLeafTemplate</c>):
/// subject and SANs from the provisioner, digitalSignature (+ keyEncipherment for RSA keys),
/// serverAuth and clientAuth.
/// </summary>
public static class DefaultLeafTemplate
{
    /// <summary>Renders the description for a CSR and what the provisioner vouches for.</summary>
    public static X509CertificateDescription Render(TemplateInput input, CertificationRequest csr) =>
        Render(input, csr.SubjectPublicKeyInfo, csr.PublicKey);

    /// <summary>Renders the description for a public key and what the provisioner vouches for.</summary>
    public static X509CertificateDescription Render(TemplateInput input, ReadOnlyMemory<byte> subjectPublicKeyInfo, SubjectPublicKey publicKey)
    {
        var certificate = new X509CertificateDescription
        {
            Subject = input.Subject,
            Sans = input.Sans,
            SubjectPublicKeyInfo = subjectPublicKeyInfo,
            PublicKey = publicKey,
            KeyUsage = publicKey.Kind == PublicKeyKind.Rsa
                ? KeyUsageFlags.DigitalSignature | KeyUsageFlags.KeyEncipherment
                : KeyUsageFlags.DigitalSignature,
        };
        certificate.ExtendedKeyUsage.Add(Oids.ServerAuth);
        certificate.ExtendedKeyUsage.Add(Oids.ClientAuth);
        return certificate;
    }
}
