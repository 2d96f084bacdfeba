using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Smallstep.Pki.Storage.Sql;

/// <summary>Why no SQL server answered, in words an operator can act on; shared by both dialects.</summary>
internal static class ConnectFailureText
{
    /// <summary>
    /// The cause found in <paramref name="exception"/>'s chain: a socket error, a timeout, or a failed
    /// TLS handshake; null when the chain holds none of them.
    /// </summary>
    public static string? Find(Exception exception, int connectTimeoutSeconds)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return Socket(socket);
                case TimeoutException:
                    return Timeout(connectTimeoutSeconds);
                case AuthenticationException tls:
                    return $"the TLS handshake with the server failed: {tls.Message}";
            }
        }
        return null;
    }

    /// <summary>No answer within the connect timeout.</summary>
    public static string Timeout(int connectTimeoutSeconds) =>
        $"the server did not answer within the connect timeout ({connectTimeoutSeconds} s)";

    /// <summary>A socket error as a cause.</summary>
    public static string Socket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the server running and listening on that address and port?)",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name does not resolve ({socket.Message})",
        SocketError.TimedOut => "the connection attempt timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "the host is unreachable",
        _ => $"cannot connect: {socket.Message}",
    };

    /// <summary>
    /// For drivers that report only "unable to connect": whether <paramref name="host"/> resolves, so
    /// the message can tell a misspelt host from a server that is down. An IP address always resolves.
    /// </summary>
    public static bool Resolves(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return true;
        }
        try
        {
            return Dns.GetHostAddresses(host).Length > 0;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
