namespace Smallstep.Pki.Acme;

/// <summary>The status values of ACME objects (RFC 8555 §7.1.6), as step-ca stores them.</summary>
public static class AcmeStatus
{
    /// <summary><c>pending</c>: an order, authorization or challenge not yet satisfied.</summary>
    public const string Pending = "pending";
    /// <summary><c>processing</c>: a challenge being validated, or an order being issued.</summary>
    public const string Processing = "processing";
    /// <summary><c>ready</c>: an order whose authorizations are all valid.</summary>
    public const string Ready = "ready";
    /// <summary><c>valid</c>.</summary>
    public const string Valid = "valid";
    /// <summary><c>invalid</c>.</summary>
    public const string Invalid = "invalid";
    /// <summary><c>deactivated</c>: an account or authorization the client gave up (RFC 8555 §7.3.6, §7.5.2).</summary>
    public const string Deactivated = "deactivated";
    /// <summary><c>expired</c>.</summary>
    public const string Expired = "expired";
    /// <summary><c>revoked</c>.</summary>
    public const string Revoked = "revoked";
}
