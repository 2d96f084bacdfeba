namespace Smallstep.Pki.Provisioners.Acme.RenewalInfo;

/// <summary>
/// The suggested renewal window of ACME Renewal Information (RFC 9773 §4.2). A live certificate's
/// window opens two thirds into its validity and closes at three quarters, so a client that renews
/// at a random moment in it spreads the load and still has a quarter of the lifetime to retry
/// before expiry. A revoked certificate gets a window that has already closed, which tells the
/// client to renew now (RFC 9773 §4.2: "a window in the past").
/// </summary>
/// <param name="Start">When renewal should start.</param>
/// <param name="End">When renewal should have happened.</param>
public readonly record struct RenewalWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>How long a client should wait before asking again (RFC 9773 §4.3 <c>Retry-After</c>).</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromHours(6);

    /// <summary>The window for a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static RenewalWindow For(DateTimeOffset notBefore, DateTimeOffset notAfter, bool revoked, DateTimeOffset now)
    {
        if (revoked)
        {
            var end = now.AddMinutes(-1);
            return new RenewalWindow(end.AddHours(-1), end);
        }
        var lifetime = notAfter - notBefore;
        if (lifetime <= TimeSpan.Zero)
        {
            return new RenewalWindow(notBefore, notBefore);
        }
        return new RenewalWindow(notBefore + lifetime * 2 / 3, notBefore + lifetime * 3 / 4);
    }
}
