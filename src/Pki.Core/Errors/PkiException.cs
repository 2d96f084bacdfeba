namespace Smallstep.Pki.Errors;

/// <summary>
/// The one exception type of the CA. <see cref="Exception.Message"/> is the specific reason and is
/// always logged; whether a client sees it depends on the kind (step-ca shows the reason for 400
/// and 403 and a generic sentence for the others, see <c>errs/error.go</c>).
/// </summary>
public sealed class PkiException : Exception
{
    /// <summary>Creates an error of the given kind.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The specific reason, without a trailing period.</param>
    /// <param name="inner">The underlying failure, if any (logged, never shown to clients).</param>
    public PkiException(PkiErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    /// <summary>What went wrong.</summary>
    public PkiErrorKind Kind { get; }

    /// <summary>
    /// The exact text a client sees, when step-ca shows one that is not its usual sentence for the
    /// kind (e.g. its policy and name-constraint refusals); null composes the usual sentence from
    /// <see cref="Exception.Message"/>.
    /// </summary>
    public string? ClientMessage { get; init; }

    /// <summary>
    /// The protocol-specific reason, when the failure has one: an ACME problem type such as
    /// <c>urn:ietf:params:acme:error:badNonce</c> (RFC 8555 §6.7) or a SCEP failInfo name such as
    /// <c>badRequest</c> (RFC 8894 §3.2.1.4.5). Null lets each edge derive one from <see cref="Kind"/>.
    /// </summary>
    public string? ProblemType { get; init; }

    /// <summary>When the client may retry (<c>Retry-After</c>, RFC 9110 §10.2.3), e.g. for <see cref="PkiErrorKind.RateLimited"/>; null when not said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Shorthand for a <see cref="PkiErrorKind.BadRequest"/> error.</summary>
    public static PkiException BadRequest(string message, Exception? inner = null) => new(PkiErrorKind.BadRequest, message, inner);

    /// <summary>Shorthand for an <see cref="PkiErrorKind.Unauthorized"/> error.</summary>
    public static PkiException Unauthorized(string message, Exception? inner = null) => new(PkiErrorKind.Unauthorized, message, inner);

    /// <summary>Shorthand for a <see cref="PkiErrorKind.Forbidden"/> error.</summary>
    public static PkiException Forbidden(string message, Exception? inner = null) => new(PkiErrorKind.Forbidden, message, inner);

    /// <summary>Shorthand for a <see cref="PkiErrorKind.NotFound"/> error.</summary>
    public static PkiException NotFound(string message, Exception? inner = null) => new(PkiErrorKind.NotFound, message, inner);

    /// <summary>Shorthand for a <see cref="PkiErrorKind.NotImplemented"/> error.</summary>
    public static PkiException NotImplemented(string message, Exception? inner = null) => new(PkiErrorKind.NotImplemented, message, inner);

    /// <summary>Shorthand for a <see cref="PkiErrorKind.Conflict"/> error.</summary>
    public static PkiException Conflict(string message, Exception? inner = null) => new(PkiErrorKind.Conflict, message, inner);

    /// <summary>Shorthand for a <see cref="PkiErrorKind.RateLimited"/> error that may be retried after <paramref name="retryAfter"/>.</summary>
    public static PkiException RateLimited(string message, TimeSpan? retryAfter = null) => new(PkiErrorKind.RateLimited, message) { RetryAfter = retryAfter };

    /// <summary>Shorthand for an <see cref="PkiErrorKind.Internal"/> error.</summary>
    public static PkiException Internal(string message, Exception? inner = null) => new(PkiErrorKind.Internal, message, inner);
}
