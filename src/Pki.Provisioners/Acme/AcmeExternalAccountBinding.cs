using System.Security.Cryptography;
using System.Text.Json;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// Checks an external account binding (RFC 8555 §7.3.4; step-ca acme/api/eab.go): an inner JWS with
/// <c>alg</c> HS256/384/512, <c>kid</c> = an unbound key of this provisioner, no nonce, the outer
/// <c>url</c>, the account key as payload, MACed with the stored key. Thread-safe.
/// </summary>
public sealed class AcmeExternalAccountBinding(IAcmeStore store)
{
    /// <summary>Returns the key to bind, as read (the account creation binds it atomically).</summary>
    public async ValueTask<AcmeVersioned<AcmeExternalAccountKey>> VerifyAsync(JsonElement binding, string outerUrl, JsonWebKey accountKey, AcmeProvisioner provisioner,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(provisioner);
        AcmeJws jws;
        try
        {
            jws = AcmeJws.Parse(JsonSerializer.SerializeToUtf8Bytes(binding));
        }
        catch (Errors.PkiException)
        {
            throw AcmeErrors.Malformed("externalAccountBinding is not a flattened JWS");
        }
        var hash = jws.Algorithm switch
        {
            "HS256" => HashAlgorithmName.SHA256,
            "HS384" => HashAlgorithmName.SHA384,
            "HS512" => HashAlgorithmName.SHA512,
            _ => throw AcmeErrors.Problem("badSignatureAlgorithm", $"externalAccountBinding alg \"{jws.Algorithm}\" is not HS256, HS384 or HS512"),
        };
        if (jws.Nonce is not null)
        {
            throw AcmeErrors.Malformed("externalAccountBinding must not carry a nonce");
        }
        if (!string.Equals(jws.Url, outerUrl, StringComparison.Ordinal))
        {
            throw AcmeErrors.Unauthorized("externalAccountBinding url differs from the request url");
        }
        if (string.IsNullOrEmpty(jws.KeyId))
        {
            throw AcmeErrors.Malformed("externalAccountBinding has no kid");
        }
        JsonWebKey bound;
        try
        {
            bound = JsonWebKey.Parse(jws.Payload);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException or CryptographicException)
        {
            throw AcmeErrors.Malformed("externalAccountBinding payload is not a JWK");
        }
        if (!bound.HasSamePublicKey(accountKey))
        {
            throw AcmeErrors.Unauthorized("externalAccountBinding payload is not the account key");
        }
        var key = await store.GetExternalAccountKeyAsync(jws.KeyId, cancellationToken).ConfigureAwait(false);
        if (key is null || key.Value.ProvisionerId != provisioner.Id || key.Value.IsBound || key.Value.HmacKey.Length == 0)
        {
            throw AcmeErrors.Unauthorized("the external account key does not exist, belongs to another provisioner or is already bound");
        }
        if (!jws.VerifyMac(hash, key.Value.HmacKey))
        {
            throw AcmeErrors.Unauthorized("externalAccountBinding MAC is not valid");
        }
        return key;
    }
}
