using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Ssh.Config;

/// <summary>
/// An SSH public key as configuration templates see it: step-ca passes an x/crypto
/// <c>ssh.PublicKey</c>, and templates call its <c>Type</c> and <c>Marshal</c> methods
/// (<c>{{.Type}} {{.Marshal | toString | b64enc}}</c>). Our engine has no method calls, so both are
/// fields of a struct value, <c>Marshal</c> being the wire blob as a Go byte string.
/// </summary>
internal static class SshKeyTemplateValue
{
    public static TemplateStruct From(SshPublicKey key) => new(GoTypeOf(key.Type),
    [
        new TemplateStructField("Type", key.Type, JsonName: null),
        new TemplateStructField("Marshal", GoByteString.FromBytes(key.Blob.Span), JsonName: null),
    ]);

    // %T of the x/crypto/ssh value behind the interface (keys.go), for typeOf/typeIs.
    private static string GoTypeOf(string type) => type switch
    {
        "ssh-ed25519" => "ssh.ed25519PublicKey",
        "ssh-rsa" => "*ssh.rsaPublicKey",
        "sk-ssh-ed25519@openssh.com" => "*ssh.skEd25519PublicKey",
        "sk-ecdsa-sha2-nistp256@openssh.com" => "*ssh.skECDSAPublicKey",
        _ => "*ssh.ecdsaPublicKey",
    };
}
