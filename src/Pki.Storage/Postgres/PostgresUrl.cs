using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Storage.Postgres;

/// <summary>
/// Splits a libpq connection URI (libpq docs §34.1.1.2)
/// <c>postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&amp;...]</c> into libpq
/// parameter names and percent-decoded values.
/// </summary>
internal static class PostgresUrl
{
    public static List<(string Name, string Value)> Parameters(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var parameters = new List<(string, string)>();
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw PkiException.BadRequest("PostgreSQL DSN query must be name=value pairs");
                }
                parameters.Add((Decode(pair[..equals]), Decode(pair[(equals + 1)..])));
            }
            rest = rest[..query];
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var database = Decode(rest[(slash + 1)..]);
            if (database.Length > 0)
            {
                parameters.Insert(0, ("dbname", database));
            }
            rest = rest[..slash];
        }
        // The password may contain '@' only percent-encoded, but be lenient like Go's url.Parse: last '@'.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            parameters.Insert(0, ("user", Decode(colon < 0 ? userInfo : userInfo[..colon])));
            if (colon >= 0)
            {
                parameters.Insert(1, ("password", Decode(userInfo[(colon + 1)..])));
            }
            rest = rest[(at + 1)..];
        }
        if (rest.Length > 0)
        {
            parameters.InsertRange(0, HostAndPort(Decode(rest)));
        }
        return parameters;
    }

    // One host[:port] (IPv6 in brackets) becomes host and port; a comma-separated list of hosts is
    // passed whole, in Npgsql's own host:port,host:port form.
    private static IEnumerable<(string, string)> HostAndPort(string hosts)
    {
        if (hosts.Contains(',', StringComparison.Ordinal))
        {
            return [("host", hosts)];
        }
        var close = hosts.LastIndexOf(']');
        var colon = hosts.LastIndexOf(':');
        if (hosts.StartsWith('[') && close > 0)
        {
            var host = hosts[1..close];
            return colon > close ? [("host", host), ("port", hosts[(colon + 1)..])] : [("host", host)];
        }
        return colon >= 0 ? [("host", hosts[..colon]), ("port", hosts[(colon + 1)..])] : [("host", hosts)];
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException ex)
        {
            throw PkiException.BadRequest("PostgreSQL DSN has a malformed percent-encoding", ex);
        }
    }
}
