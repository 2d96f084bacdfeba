using System.Security.Cryptography;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>step-ca's random identifiers (acme/common.go <c>randID</c>): 32 alphanumeric characters from a CSPRNG. Thread-safe.</summary>
public static class AcmeIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A new id (accounts, orders, authorizations, challenges, certificates, tokens).</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, 32);
}
