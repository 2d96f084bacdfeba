using System.Net;
using System.Net.Sockets;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>A TCP port on 127.0.0.1 that the OS reported free a moment ago (bind to port 0, read it, release it).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A port free for both TCP and UDP (a DNS server listens on both).</summary>
    public static int NextForTcpAndUdp()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Next();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for UDP: try another.
            }
        }
    }
}
