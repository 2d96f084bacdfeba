using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Provisioners.Jose;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// Issues and consumes nonces (RFC 8555 §7.2). A nonce carries its own expiry and a MAC under the
/// database's nonce key (<see cref="IAcmeStore.GetOrCreateNonceKeyAsync"/>), so issuing one writes
/// nothing and any node sharing the database recognizes another's; using one records it
/// (<see cref="IAcmeStore.UseNonceAsync"/>), so it is accepted exactly once, on any node, also after a
/// crash. step-ca instead stores every nonce it issues and deletes it on use: two durable writes per
/// request where this is one. Thread-safe.
/// </summary>
public sealed class AcmeNonces(IAcmeStore store, TimeProvider time, IOptions<AcmeServerOptions> options)
{
    // version (1) | random (12) | expiry, Unix seconds, big-endian (8) | HMAC-SHA256 of the above, truncated (16).
    private const byte Version = 1;
    private const int RandomLength = 12;
    private const int MacLength = 16;
    private const int MacOffset = 1 + RandomLength + sizeof(long);
    private const int Length = MacOffset + MacLength;

    private byte[]? _key;

    /// <summary>Returns a fresh nonce, valid for <see cref="AcmeServerOptions.NonceLifetime"/>.</summary>
    public async ValueTask<string> CreateAsync(CancellationToken cancellationToken)
    {
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var nonce = new byte[Length];
        nonce[0] = Version;
        RandomNumberGenerator.Fill(nonce.AsSpan(1, RandomLength));
        var expiresAt = time.GetUtcNow() + options.Value.NonceLifetime;
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(1 + RandomLength), expiresAt.ToUnixTimeSeconds());
        Mac(key, nonce, nonce.AsSpan(MacOffset));
        return Base64UrlCodec.Encode(nonce);
    }

    /// <summary>Consumes <paramref name="nonce"/>; throws <c>badNonce</c> when it is not ours, expired or used.</summary>
    public async ValueTask ConsumeAsync(string? nonce, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 64 || !Base64UrlCodec.TryDecode(nonce, out var raw)
            || raw.Length != Length || raw[0] != Version)
        {
            throw AcmeErrors.Problem("badNonce", "the nonce is not one this server issued");
        }
        var key = await KeyAsync(cancellationToken).ConfigureAwait(false);
        Span<byte> expected = stackalloc byte[MacLength];
        Mac(key, raw, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw.AsSpan(MacOffset)))
        {
            throw AcmeErrors.Problem("badNonce", "the nonce is not one this server issued");
        }
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(raw.AsSpan(1 + RandomLength)), 0, 253402300799));
        var now = time.GetUtcNow();
        if (now >= expiresAt)
        {
            throw AcmeErrors.Problem("badNonce", "the nonce expired");
        }
        if (!await store.UseNonceAsync(nonce, AcmeClock.Now(time), expiresAt, cancellationToken).ConfigureAwait(false))
        {
            throw AcmeErrors.Problem("badNonce", "the nonce was already used");
        }
    }

    private static void Mac(byte[] key, ReadOnlySpan<byte> nonce, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, nonce[..MacOffset], mac);
        mac[..MacLength].CopyTo(destination);
    }

    // Read once per process; every node gets the same key from the store, so a race only repeats the read.
    private async ValueTask<byte[]> KeyAsync(CancellationToken cancellationToken) =>
        _key ??= (await store.GetOrCreateNonceKeyAsync(cancellationToken).ConfigureAwait(false)).ToArray();
}

/// <summary>The ACME clock: UTC truncated to seconds, as step-ca stores times (acme/common.go <c>clock.Now</c>).</summary>
public static class AcmeClock
{
    /// <summary>Now, in UTC, whole seconds.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
