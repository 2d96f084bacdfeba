namespace Smallstep.Pki.Kms.Soft;

/// <summary>Options of <see cref="SoftKeyManager"/>.</summary>
public sealed class SoftKmsOptions
{
    /// <summary>
    /// Returns the password for a key, or null when there is none. Called with the key URI exactly
    /// as the caller passed it (e.g. <c>secrets/intermediate_ca_key</c> or
    /// <c>softkms:path=/etc/step/secrets/root_ca_key</c>); for reading only when the key file is
    /// encrypted, and at most once per key while it stays cached. step-ca takes these from
    /// <c>--password-file</c>, <c>--ssh-host-password-file</c>, <c>--ssh-user-password-file</c>
    /// or ca.json <c>password</c>.
    /// </summary>
    public Func<string, string?>? PasswordProvider { get; set; }

    /// <summary>
    /// Directory that relative key paths are resolved against. Null (the default) means the process
    /// working directory, which is what step-ca 0.19 does (it opens ca.json's <c>key</c> with
    /// <c>os.ReadFile</c>).
    /// </summary>
    public string? BaseDirectory { get; set; }
}
