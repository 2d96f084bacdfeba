namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// A request body exceeded <see cref="StepApiOptions.MaxRequestBodySize"/>. Transport-level, so it is
/// not a <see cref="Smallstep.Pki.Errors.PkiException"/>; answered with 413 in the step-ca error shape.
/// </summary>
internal sealed class RequestBodyTooLargeException(long limit)
    : Exception($"request body is larger than {limit} bytes");
