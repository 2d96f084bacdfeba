using System.Net.Sockets;
using Amazon.Runtime;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// Turns SDK failures into <see cref="PkiException"/>s that say which call failed on which key and
/// AWS's own reason (its error code and message, e.g. <c>NotFoundException: Key 'arn:…' does not
/// exist</c>), or that the service was unreachable. AWS's messages carry no secret; the request's
/// signature and credentials never reach a message.
/// </summary>
internal static class AwsKmsErrors
{
    /// <summary>AWS error codes that mean the caller's credentials or permissions were refused.</summary>
    private static readonly HashSet<string> AuthCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
        "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken", "SignatureDoesNotMatch",
    };

    /// <summary>
    /// The exception for a failed <paramref name="operation"/> on <paramref name="keyId"/>: NotFound for
    /// a missing key, Forbidden for refused credentials, BadRequest for a key in the wrong state or
    /// usage, Internal otherwise (unreachable, throttled, AWS's own faults).
    /// </summary>
    public static PkiException Wrap(Exception error, string operation, string keyId)
    {
        var what = $"awskms {operation} on key '{keyId}' failed";
        switch (error)
        {
            case AmazonServiceException service when service.ErrorCode is { Length: > 0 } code:
            {
                var reason = $"{what}: {code}: {service.Message}";
                if (code == "NotFoundException")
                {
                    return PkiException.NotFound(reason, error);
                }
                if (AuthCodes.Contains(code))
                {
                    return PkiException.Forbidden($"{reason} (check the AWS credentials and that they allow kms:{operation} on this key)", error);
                }
                return code is "DisabledException" or "KMSInvalidStateException" or "InvalidKeyUsageException" or "ValidationException" or "AlreadyExistsException"
                    ? PkiException.BadRequest(reason, error)
                    : PkiException.Internal(reason, error);
            }
            case AmazonServiceException when IsUnreachable(error.InnerException):
            case AmazonClientException when IsUnreachable(error.InnerException):
            case HttpRequestException or SocketException or TimeoutException or TaskCanceledException:
                return PkiException.Internal($"{what}: AWS KMS is unreachable: {Innermost(error).Message}", error);
            case AmazonServiceException service:
                return PkiException.Internal($"{what}: HTTP {(int)service.StatusCode}: {service.Message}", error);
            default:
                return PkiException.Internal($"{what}: {error.Message}", error);
        }
    }

    /// <summary>True for SDK failures that <see cref="Wrap"/> knows (everything else is a bug and propagates).</summary>
    public static bool IsServiceFailure(Exception error) =>
        error is AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or TimeoutException
        || (error is TaskCanceledException && error.InnerException is TimeoutException);

    private static bool IsUnreachable(Exception? inner) => inner is HttpRequestException or SocketException or TimeoutException or TaskCanceledException;

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }
        return error;
    }
}
