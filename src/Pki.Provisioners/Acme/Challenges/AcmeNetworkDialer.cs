using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// Opens the TCP connections of http-01 (every redirect hop) and tls-alpn-01: resolves the host
/// (through <see cref="AcmeChallengeOptions.Resolver"/> when set, else the system resolver), drops
/// the addresses <see cref="AcmeNetworkPolicy"/> refuses, and connects to a checked address
/// itself, so nothing resolves the name again after the check (no DNS rebinding). Thread-safe.
/// </summary>
internal sealed class AcmeNetworkDialer(AcmeNetworkPolicy policy, LookupClient? resolver, ILogger logger)
{
    /// <summary>
    /// Connects to <paramref name="host"/> (a DNS name or an IP address, IPv6 with or without
    /// brackets) on <paramref name="port"/>, trying the allowed addresses in the resolver's order.
    /// </summary>
    /// <exception cref="AcmeDialException">The name does not resolve, or the policy refuses every address.</exception>
    /// <exception cref="SocketException">No allowed address accepted the connection.</exception>
    public async ValueTask<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host.TrimStart('[').TrimEnd(']'), cancellationToken).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            throw new AcmeDialException("dns", $"{host} has no address");
        }
        string? refusal = null;
        ExceptionDispatchInfo? failure = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } reason)
            {
                logger.AddressRefused(host, address, reason);
                refusal ??= $"refused to connect to {address} ({host}): it is {reason}";
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure ??= ExceptionDispatchInfo.Capture(e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        failure?.Throw();
        throw new AcmeDialException("connection", refusal ?? $"no address of {host} to connect to");
    }

    private async ValueTask<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        if (resolver is null)
        {
            try
            {
                return await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new AcmeDialException("dns", $"cannot resolve {host}: {e.Message}");
            }
        }
        try
        {
            var v4 = resolver.QueryAsync(host, QueryType.A, cancellationToken: cancellationToken);
            var v6 = resolver.QueryAsync(host, QueryType.AAAA, cancellationToken: cancellationToken);
            var answers = (await v4.ConfigureAwait(false)).Answers.Concat((await v6.ConfigureAwait(false)).Answers);
            return [.. answers.OfType<AddressRecord>().Select(record => record.Address)];
        }
        catch (DnsResponseException e)
        {
            throw new AcmeDialException("dns", $"cannot resolve {host}: {e.Message}");
        }
    }
}
