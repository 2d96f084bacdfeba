using Smallstep.Pki.Acme;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// ACME refusals as <see cref="PkiException"/>s carrying the RFC 8555 §6.7 problem type; the
/// HTTP edge renders them as problem documents with step-ca's statuses (reference §1.11).
/// </summary>
public static class AcmeErrors
{
    /// <summary>A refusal of problem type <paramref name="type"/> (short name, e.g. <c>badNonce</c>).</summary>
    public static PkiException Problem(string type, string detail, PkiErrorKind kind = PkiErrorKind.BadRequest) =>
        new(kind, detail) { ProblemType = AcmeProblem.UrnPrefix + type, ClientMessage = detail };

    /// <summary><c>malformed</c> (400).</summary>
    public static PkiException Malformed(string detail) => Problem("malformed", detail);

    /// <summary><c>unauthorized</c> (401; step-ca answers 403 for revocation).</summary>
    public static PkiException Unauthorized(string detail, PkiErrorKind kind = PkiErrorKind.Unauthorized) => Problem("unauthorized", detail, kind);

    /// <summary><c>badCSR</c> (400).</summary>
    public static PkiException BadCsr(string detail) => Problem("badCSR", detail);

    /// <summary>A missing resource: <c>malformed</c> with 404, as step-ca answers unknown ids.</summary>
    public static PkiException NotFound(string what) => Problem("malformed", $"{what} not found", PkiErrorKind.NotFound);
}
