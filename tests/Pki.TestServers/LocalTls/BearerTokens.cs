using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Smallstep.Pki.TestServers.LocalTls;

/// <summary>Access tokens a local token endpoint issued, and who they were issued to. Thread-safe.</summary>
public sealed class BearerTokens
{
    private readonly ConcurrentDictionary<string, string> _subjects = new(StringComparer.Ordinal);

    /// <summary>How many tokens were issued.</summary>
    public int Issued => _subjects.Count;

    /// <summary>Issues a random token for <paramref name="subject"/>.</summary>
    public string Issue(string subject)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _subjects[token] = subject;
        return token;
    }

    /// <summary>The subject of the request's <c>Authorization: Bearer</c> token, or null when it is absent or unknown.</summary>
    public string? SubjectOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _subjects.TryGetValue(header["Bearer ".Length..], out var subject) ? subject : null;
    }
}
