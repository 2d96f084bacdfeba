using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// A CA key in AWS KMS (step's awskms <c>Signer</c>): the public key is read once when the signer
/// is opened; each signature is one <c>Sign</c> call with the locally computed digest
/// (<c>MessageType</c> <c>DIGEST</c>). Thread-safe (the SDK client is).
/// </summary>
internal sealed class AwsKmsSigner(IAmazonKeyManagementService client, string keyId, byte[] subjectPublicKeyInfo, KeyAlgorithm algorithm, AwsSigningScheme scheme)
    : ICertificateSigner
{
    /// <inheritdoc />
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => subjectPublicKeyInfo;

    /// <inheritdoc />
    public KeyAlgorithm Algorithm => algorithm;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => scheme.AlgorithmIdentifier;

    /// <summary>Signs <paramref name="data"/>'s digest in AWS KMS.</summary>
    /// <exception cref="PkiException">Internal when AWS refuses or cannot be reached (a signing failure is the CA's, never the client's).</exception>
    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var request = new SignRequest
        {
            KeyId = keyId,
            Message = new MemoryStream(scheme.Digest(data.Span)),
            MessageType = MessageType.DIGEST,
            SigningAlgorithm = scheme.SigningAlgorithm,
        };
        SignResponse response;
        try
        {
            response = await client.SignAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AwsKmsErrors.IsServiceFailure(e))
        {
            var wrapped = AwsKmsErrors.Wrap(e, "Sign", keyId);
            throw PkiException.Internal(wrapped.Message, e);
        }
        return response.Signature is { Length: > 0 } signature
            ? signature.ToArray()
            : throw PkiException.Internal($"awskms Sign on key '{keyId}' returned no signature");
    }
}
