namespace Smallstep.Pki.Ssh;

/// <summary>
/// step's built-in SSH certificate templates (smallstep/crypto <c>sshutil/templates.go</c>),
/// verbatim: Go <c>text/template</c> text producing the JSON of <see cref="SshCertificateDescription"/>
/// over the data of <see cref="SshTemplateData"/>.
/// </summary>
public static class SshTemplates
{
    /// <summary>
    /// The default template (JWK, X5C, OIDC non-admin, GCP user): type, key id, principals,
    /// extensions and critical options from the provisioner's data.
    /// </summary>
    public const string Default = """
        {
        	"type": {{ toJson .Type }},
        	"keyId": {{ toJson .KeyID }},
        	"principals": {{ toJson .Principals }},
        	"extensions": {{ toJson .Extensions }},
        	"criticalOptions": {{ toJson .CriticalOptions }}
        }
        """;

    /// <summary>OIDC admins: type, key id and principals from the request; user certificates also get the extensions and critical options.</summary>
    public const string Admin = """
        {
        	"type": {{ toJson .Insecure.CR.Type }},
        	"keyId": {{ toJson .Insecure.CR.KeyID }},
        	"principals": {{ toJson .Insecure.CR.Principals }}
        {{- if eq .Insecure.CR.Type "user" }}
        	, "extensions": {{ toJson .Extensions }},
        	"criticalOptions": {{ toJson .CriticalOptions }}
        {{- end }}
        }
        """;

    /// <summary>Instance-identity provisioners (AWS, Azure, GCP host): the request's principals if any, else the provisioner's.</summary>
    public const string Iid = """
        {
        	"type": {{ toJson .Type }},
        	"keyId": {{ toJson .KeyID }},
        {{- if .Insecure.CR.Principals }}
        	"principals": {{ toJson .Insecure.CR.Principals }},
        {{- else }}
        	"principals": {{ toJson .Principals }},
        {{- end }}
        	"extensions": {{ toJson .Extensions }}
        }
        """;

    /// <summary>Certificate-request passthrough (K8sSA): everything from the request; user certificates get the five default extensions.</summary>
    public const string CertificateRequest = """
        {
        	"type": {{ toJson .Insecure.CR.Type }},
        	"keyId": {{ toJson .Insecure.CR.KeyID }},
        	"principals": {{ toJson .Insecure.CR.Principals }}
        {{- if eq .Insecure.CR.Type "user" }}
        	, "extensions": {
        		"permit-X11-forwarding":   "",
        		"permit-agent-forwarding": "",
        		"permit-port-forwarding":  "",
        		"permit-pty":              "",
        		"permit-user-rc":          ""
        	}
        {{- end }}
        }
        """;
}
