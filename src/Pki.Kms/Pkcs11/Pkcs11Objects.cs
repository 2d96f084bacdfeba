using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>Finds key objects on a token.</summary>
internal static class Pkcs11Objects
{
    /// <summary>
    /// The first private key whose CKA_ID and CKA_LABEL match every attribute <paramref name="name"/>
    /// gives (crypto11's <c>FindKeyPair</c>, used by step, also takes the first), or null.
    /// </summary>
    public static IObjectHandle? FindPrivateKey(ISession session, Pkcs11ObjectName name)
    {
        var factory = session.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { factory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY) };
        if (name.Id is not null)
        {
            template.Add(factory.Create(CKA.CKA_ID, name.Id));
        }
        if (name.Label is not null)
        {
            template.Add(factory.Create(CKA.CKA_LABEL, name.Label));
        }
        session.FindObjectsInit(template);
        try
        {
            return session.FindObjects(1) is [var first, ..] ? first : null;
        }
        finally
        {
            session.FindObjectsFinal();
        }
    }

    /// <summary>Whether the key needs the PIN again for every operation (CKA_ALWAYS_AUTHENTICATE, PKCS#11 v2.40 §4.9; PIV slot 9c).</summary>
    public static bool AlwaysAuthenticate(ISession session, IObjectHandle privateKey)
    {
        var value = session.GetAttributeValue(privateKey, [CKA.CKA_ALWAYS_AUTHENTICATE])[0];
        return !value.CannotBeRead && value.GetValueAsBool();
    }
}
