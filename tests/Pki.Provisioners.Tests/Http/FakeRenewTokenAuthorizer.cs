using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioners.Http;

namespace Smallstep.Pki.Tests.Http;

/// <summary>Accepts exactly <see cref="ValidToken"/>, for the signed fixture leaf; rejects anything else with 401.</summary>
internal sealed class FakeRenewTokenAuthorizer : IRenewTokenAuthorizer
{
    public const string ValidToken = "valid-renew-token";

    public string? LastToken { get; private set; }

    public void Reset() => LastToken = null;

    public ValueTask<X509Certificate2> AuthorizeRenewTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        LastToken = token;
        return token == ValidToken
            ? ValueTask.FromResult(FixturePki.SignedLeaf())
            : ValueTask.FromException<X509Certificate2>(PkiException.Unauthorized("renew token signature does not verify"));
    }
}
