using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// ES256/ES384/ES512 verification for a provisioner key through libcrypto's EC_KEY API, with the
/// key imported once. <see cref="ECDsa.VerifyData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, HashAlgorithmName, DSASignatureFormat)"/>
/// goes through an EVP_PKEY context per call (OpenSSL 3 provider fetches, a DER re-encoding of the
/// R||S signature); under the sign load that overhead was a visible share of the host's CPU.
/// <c>ECDSA_do_verify</c> on a cached EC_KEY checks the same thing: r and s in [1, n-1] and the
/// signature equation. Null from <see cref="Create"/> (no OpenSSL 3, a point that does not decode)
/// means: use the platform key as before.
/// </summary>
internal sealed class OpenSslEcVerifier : SafeHandle
{
    private const string Lib = "libcrypto.so.3";
    private static readonly Lazy<bool> Available = new(Probe);

    private OpenSslEcVerifier()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>An EC_KEY for the public point (x, y) on the curve with OpenSSL NID <paramref name="nid"/>, or null.</summary>
    public static OpenSslEcVerifier? Create(int nid, byte[] x, byte[] y)
    {
        if (!Available.Value)
        {
            return null;
        }
        var key = EC_KEY_new_by_curve_name(nid);
        if (key == IntPtr.Zero)
        {
            ERR_clear_error();
            return null;
        }
        var verifier = new OpenSslEcVerifier();
        verifier.SetHandle(key);
        var octets = new byte[1 + x.Length + y.Length];
        octets[0] = 0x04;
        x.CopyTo(octets, 1);
        y.CopyTo(octets, 1 + x.Length);
        var group = EC_KEY_get0_group(key);
        var point = EC_POINT_new(group);
        try
        {
            if (point == IntPtr.Zero || EC_POINT_oct2point(group, point, octets, (nuint)octets.Length, IntPtr.Zero) != 1 || EC_KEY_set_public_key(key, point) != 1)
            {
                ERR_clear_error();
                verifier.Dispose();
                return null;
            }
        }
        finally
        {
            if (point != IntPtr.Zero)
            {
                EC_POINT_free(point);
            }
        }
        return verifier;
    }

    /// <summary>Verifies an R||S signature (each half <paramref name="size"/> bytes) over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, int size, HashAlgorithmName hash)
    {
        var digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
            : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
            : SHA512.HashData(data);
        var r = signature[..size].ToArray();
        var s = signature[size..].ToArray();
        var sig = ECDSA_SIG_new();
        if (sig == IntPtr.Zero)
        {
            throw new CryptographicException("ECDSA_SIG_new failed");
        }
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            var br = BN_bin2bn(r, r.Length, IntPtr.Zero);
            var bs = BN_bin2bn(s, s.Length, IntPtr.Zero);
            if (br == IntPtr.Zero || bs == IntPtr.Zero || ECDSA_SIG_set0(sig, br, bs) != 1)
            {
                BN_free(br);
                BN_free(bs);
                throw new CryptographicException("cannot build the ECDSA signature");
            }
            var result = ECDSA_do_verify(digest, digest.Length, sig, handle);
            if (result != 1)
            {
                ERR_clear_error();
            }
            return result == 1;
        }
        finally
        {
            ECDSA_SIG_free(sig);
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        EC_KEY_free(handle);
        return true;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            ERR_clear_error();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    [DllImport(Lib)]
    private static extern IntPtr EC_KEY_new_by_curve_name(int nid);

    [DllImport(Lib)]
    private static extern IntPtr EC_KEY_get0_group(IntPtr key);

    [DllImport(Lib)]
    private static extern int EC_KEY_set_public_key(IntPtr key, IntPtr point);

    [DllImport(Lib)]
    private static extern void EC_KEY_free(IntPtr key);

    [DllImport(Lib)]
    private static extern IntPtr EC_POINT_new(IntPtr group);

    [DllImport(Lib)]
    private static extern int EC_POINT_oct2point(IntPtr group, IntPtr point, byte[] octets, nuint length, IntPtr context);

    [DllImport(Lib)]
    private static extern void EC_POINT_free(IntPtr point);

    [DllImport(Lib)]
    private static extern IntPtr ECDSA_SIG_new();

    [DllImport(Lib)]
    private static extern int ECDSA_SIG_set0(IntPtr sig, IntPtr r, IntPtr s);

    [DllImport(Lib)]
    private static extern void ECDSA_SIG_free(IntPtr sig);

    [DllImport(Lib)]
    private static extern IntPtr BN_bin2bn(byte[] bytes, int length, IntPtr result);

    [DllImport(Lib)]
    private static extern void BN_free(IntPtr bn);

    [DllImport(Lib)]
    private static extern int ECDSA_do_verify(byte[] digest, int digestLength, IntPtr sig, IntPtr key);

    [DllImport(Lib)]
    private static extern void ERR_clear_error();
}
