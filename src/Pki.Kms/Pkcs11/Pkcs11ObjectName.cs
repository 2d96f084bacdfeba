using System.Text;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// A key on the token by CKA_ID and/or CKA_LABEL (step's <c>id</c> and <c>object</c> URI
/// attributes); at least one is set. Objects match when every given attribute matches.
/// </summary>
/// <param name="Id">CKA_ID bytes, or null.</param>
/// <param name="Label">CKA_LABEL, or null.</param>
internal sealed record Pkcs11ObjectName(byte[]? Id, string? Label)
{
    /// <summary>For messages: <c>id 7332, label "intermediate-ca"</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Id is not null)
        {
            text.Append("id ").Append(Convert.ToHexStringLower(Id));
        }
        if (Label is not null)
        {
            text.Append(text.Length > 0 ? ", " : string.Empty).Append("label \"").Append(Label).Append('"');
        }
        return text.ToString();
    }
}
