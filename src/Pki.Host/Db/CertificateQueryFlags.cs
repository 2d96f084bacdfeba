using Smallstep.Pki.Authority;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Storage.Query;

namespace Smallstep.Pki.Host.Db;

/// <summary>The filter flags of <c>db export</c>, turned into a <see cref="CertificateQuery"/>.</summary>
internal static class CertificateQueryFlags
{
    /// <summary>The flag names, for <see cref="CommandLine.RejectUnknown"/>.</summary>
    public static readonly string[] Names =
    [
        "kind", "serial", "serial-prefix", "search", "provisioner", "revoked", "issued-after", "issued-before", "expires-after", "expires-before", "valid-at",
    ];

    /// <exception cref="UsageException">A flag has a value it cannot have.</exception>
    public static CertificateQuery Read(CommandLine line)
    {
        var serialPrefix = line.Get("serial-prefix");
        if (serialPrefix is not null && (serialPrefix.Length == 0 || !serialPrefix.All(char.IsAsciiDigit)))
        {
            throw new UsageException("--serial-prefix must be decimal digits");
        }
        return new CertificateQuery
        {
            Kind = line.Get("kind") switch
            {
                null => null,
                "x509" => CertificateKind.X509,
                "ssh" => CertificateKind.Ssh,
                var other => throw new UsageException($"--kind must be x509 or ssh, not \"{other}\""),
            },
            Serial = line.Get("serial") is { } serial ? Decimal(serial) : null,
            SerialPrefix = serialPrefix,
            Contains = line.Get("search"),
            Provisioner = line.Get("provisioner"),
            Revoked = line.Get("revoked") switch
            {
                null => null,
                "yes" or "true" => true,
                "no" or "false" => false,
                var other => throw new UsageException($"--revoked must be yes or no, not \"{other}\""),
            },
            IssuedAfter = DateArgument.Get(line, "issued-after"),
            IssuedBefore = DateArgument.Get(line, "issued-before"),
            ExpiresAfter = DateArgument.Get(line, "expires-after"),
            ExpiresBefore = DateArgument.Get(line, "expires-before"),
            ValidAt = DateArgument.Get(line, "valid-at"),
        };
    }

    // As step-ca reads serials (decimal, or 0x hex): stored keys are decimal.
    private static string Decimal(string serial)
    {
        try
        {
            return SerialNumberText.ToDecimal(serial);
        }
        catch (Errors.PkiException)
        {
            throw new UsageException($"--serial must be a decimal or 0x-prefixed hex serial number, not \"{serial}\"");
        }
    }
}
