using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance.Recording;

/// <summary>
/// Burns a one-time token: inserts its replay key into <c>used_ott</c> (value: the raw token) only
/// if absent, as step-ca's <c>UseToken</c> (certificates db/db.go) does, but in the same transaction
/// as the certificate it authorizes, so a token is used if and only if its certificate is on record.
/// </summary>
public sealed class OneTimeTokenUse : IRecordingStep
{
    // nosql's SQL schema limits keys to 255 bytes; step-ca could never have stored a longer one.
    private const int MaxKeyBytes = 255;

    /// <summary>Creates the step.</summary>
    /// <param name="replayKey">The token's <c>jti</c>, or the SHA-256 of the token when it has none.</param>
    /// <param name="token">The raw token.</param>
    /// <exception cref="PkiException">BadRequest: the replay key is empty or longer than 255 bytes in UTF-8.</exception>
    public OneTimeTokenUse(string replayKey, string token)
    {
        ArgumentNullException.ThrowIfNull(replayKey);
        ArgumentNullException.ThrowIfNull(token);
        var key = Encoding.UTF8.GetBytes(replayKey);
        if (key.Length is 0 or > MaxKeyBytes)
        {
            throw PkiException.BadRequest($"token replay key must be 1 to {MaxKeyBytes} bytes");
        }
        ReplayKey = replayKey;
        Writes = [KeyValueOperation.CompareAndSwap(StepTables.UsedOtt, key, null, Encoding.UTF8.GetBytes(token))];
    }

    /// <summary>The key burned in <c>used_ott</c>.</summary>
    public string ReplayKey { get; }

    /// <inheritdoc />
    public IReadOnlyList<KeyValueOperation> Writes { get; }

    /// <inheritdoc />
    public PkiException Conflict() => PkiException.Unauthorized("token already used");
}
