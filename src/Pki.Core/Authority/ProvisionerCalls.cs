using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>How every authority reaches a provisioner: route the token, then call it failing closed.</summary>
internal static class ProvisionerCalls
{
    /// <summary>
    /// Parses the token and finds its provisioner (authority/authorize.go <c>authorizeToken</c>):
    /// tokens minted before the authority started are refused unless
    /// <paramref name="disableIssuedAtCheck"/> (a replayed token from before a restart of a store-less CA).
    /// </summary>
    /// <exception cref="PkiException">Unauthorized: malformed, too old, or no provisioner for it.</exception>
    public static (IProvisioner Provisioner, UnverifiedToken Token) FindByToken(IProvisionerCatalog catalog, Audiences audiences, string? rawToken,
        DateTimeOffset startTime, bool disableIssuedAtCheck)
    {
        var token = UnverifiedToken.Parse(rawToken);
        if (!disableIssuedAtCheck && TokenTimes.IssuedAt(token) is { } iat && iat < startTime.ToUnixTimeSeconds())
        {
            throw PkiException.Unauthorized("token issued before the bootstrap of certificate authority");
        }
        var provisioner = catalog.FindByToken(token, audiences)
            ?? throw PkiException.Unauthorized($"provisioner not found or invalid audience ({string.Join(", ", token.Audience)})");
        return (provisioner, token);
    }

    /// <summary>Fail closed (STYLE.md §4): an unexpected exception in a provisioner is a logged 401.</summary>
    public static async ValueTask<T> GuardAsync<T>(IProvisioner provisioner, Func<ValueTask<T>> call, Action<Exception> logFault)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not PkiException and not OperationCanceledException)
        {
            logFault(e);
            throw PkiException.Unauthorized($"provisioner {provisioner.Name} failed", e);
        }
    }
}
