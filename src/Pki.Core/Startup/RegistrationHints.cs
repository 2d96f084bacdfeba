namespace Smallstep.Pki.Startup;

/// <summary>
/// The call that registers a well-known back end or provisioner type, for start-up errors. Only
/// wording: what runs is decided by what is registered, never by this list.
/// </summary>
internal static class RegistrationHints
{
    public static string KeyManager(string type) => type.ToLowerInvariant() switch
    {
        "softkms" => "call AddSoftKms()",
        "awskms" or "aws" => "call AddAwsKms() (Smallstep.Pki.Kms)",
        "cloudkms" => "call AddGoogleCloudKms() (Smallstep.Pki.Kms)",
        "azurekms" => "call AddAzureKms() (Smallstep.Pki.Kms)",
        _ => $"register one with AddKeyManager(new KeyManagerRegistration(\"{type}\", ...)) or the package that provides it",
    };

    public static string Storage(string type) => type.Trim().ToLowerInvariant() switch
    {
        "sqlite" or "badger" or "badgerv1" or "badgerv2" or "bbolt" => "call AddSqliteStorage()",
        "postgresql" => "call AddPostgresStorage()",
        "mysql" => "call AddMySqlStorage()",
        Smallstep.Pki.Storage.StorageProviderRegistration.NoDatabaseType => "call AddMemoryStorageProvider() (ca.json has no db block: an in-memory store), or add a db block",
        _ => $"register one with AddStorageProvider(new StorageProviderRegistration([\"{type}\"], ...)) or the package that provides it",
    };

    public static string Provisioner(string type) => type.ToUpperInvariant() switch
    {
        "JWK" => "call AddJwkProvisioners() or AddStepProvisioners()",
        "OIDC" or "GCP" or "AWS" or "AZURE" or "ACME" or "X5C" or "K8SSA" or "SSHPOP" or "SCEP" or "NEBULA" => "call AddStepProvisioners() (from Smallstep.Pki.Provisioners)",
        _ => $"call AddProvisionerType(new ProvisionerTypeRegistration(\"{type}\", ...))",
    };
}
