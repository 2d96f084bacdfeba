namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// step's built-in X.509 templates (go.step.sm/crypto x509util templates.go), as template text
/// for provisioners that need them and for operators to start from.
/// </summary>
public static class DefaultX509Templates
{
    /// <summary>The leaf template of JWK, X5C, Nebula, OIDC, ACME and SCEP provisioners.</summary>
    public const string Leaf = """
        {
        	"subject": {{ toJson .Subject }},
        	"sans": {{ toJson .SANs }},
        {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        	"keyUsage": ["keyEncipherment", "digitalSignature"],
        {{- else }}
        	"keyUsage": ["digitalSignature"],
        {{- end }}
        	"extKeyUsage": ["serverAuth", "clientAuth"]
        }
        """;

    /// <summary>The leaf template of the cloud instance identity provisioners (AWS, GCP, Azure).</summary>
    public const string IidLeaf = """
        {
        	"subject": {"commonName": {{ toJson .Insecure.CR.Subject.CommonName }}},
        {{- if .SANs }}
        	"sans": {{ toJson .SANs }},
        {{- else }}
        	"dnsNames": {{ toJson .Insecure.CR.DNSNames }},
        	"emailAddresses": {{ toJson .Insecure.CR.EmailAddresses }},
        	"ipAddresses": {{ toJson .Insecure.CR.IPAddresses }},
        	"uris": {{ toJson .Insecure.CR.URIs }},
        {{- end }}
        {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        	"keyUsage": ["keyEncipherment", "digitalSignature"],
        {{- else }}
        	"keyUsage": ["digitalSignature"],
        {{- end }}
        	"extKeyUsage": ["serverAuth", "clientAuth"]
        }
        """;

    /// <summary>The leaf template of K8sSA and admin OIDC tokens: subject and SANs from the CSR.</summary>
    public const string AdminLeaf = """
        {
        	"subject": {{ toJson .Insecure.CR.Subject }},
        	"dnsNames": {{ toJson .Insecure.CR.DNSNames }},
        	"emailAddresses": {{ toJson .Insecure.CR.EmailAddresses }},
        	"ipAddresses": {{ toJson .Insecure.CR.IPAddresses }},
        	"uris": {{ toJson .Insecure.CR.URIs }},
        {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        	"keyUsage": ["keyEncipherment", "digitalSignature"],
        {{- else }}
        	"keyUsage": ["digitalSignature"],
        {{- end }}
        	"extKeyUsage": ["serverAuth", "clientAuth"]
        }
        """;

    /// <summary>The leaf template for attested ACME identifiers: client authentication only.</summary>
    public const string AttestedLeaf = """
        {
        	"subject": {{ toJson .Subject }},
        	"sans": {{ toJson .SANs }},
        {{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
        	"keyUsage": ["keyEncipherment", "digitalSignature"],
        {{- else }}
        	"keyUsage": ["digitalSignature"],
        {{- end }}
        	"extKeyUsage": ["clientAuth"]
        }
        """;

    /// <summary>An intermediate CA: certSign and crlSign, path length 0.</summary>
    public const string Intermediate = """
        {
        	"subject": {{ toJson .Subject }},
        	"keyUsage": ["certSign", "crlSign"],
        	"basicConstraints": {
        		"isCA": true,
        		"maxPathLen": 0
        	}
        }
        """;

    /// <summary>A root CA: self-issued, certSign and crlSign, path length 1.</summary>
    public const string Root = """
        {
        	"subject": {{ toJson .Subject }},
        	"issuer": {{ toJson .Subject }},
        	"keyUsage": ["certSign", "crlSign"],
        	"basicConstraints": {
        		"isCA": true,
        		"maxPathLen": 1
        	}
        }
        """;

    /// <summary>Signs the request as it is.</summary>
    public const string CertificateRequest = "{{ toJson .Insecure.CR }}";
}
