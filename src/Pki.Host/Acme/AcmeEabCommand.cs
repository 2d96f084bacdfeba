using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Smallstep.Pki.Acme;
using Smallstep.Pki.Configuration;
using Smallstep.Pki.Host.Cli;
using Smallstep.Pki.Host.Db;
using Smallstep.Pki.Host.Serve;
using Smallstep.Pki.Provisioners.Acme;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Storage.Acme;

namespace Smallstep.Pki.Host.Acme;

/// <summary>
/// <c>pki-host acme eab add|list|remove --provisioner NAME</c>: external account binding keys
/// (RFC 8555 §7.3.4) of an ACME provisioner with <c>requireEAB</c>, written to the CA's database in
/// step-ca's tables, so a running host (any node on the database) accepts a new key at once. step-ca's
/// open-source build cannot create them (its admin API answers 501).
/// </summary>
internal static class AcmeEabCommand
{
    // step-ca's EAB keys: an ACME id and 32 random bytes of HMAC key (acme/account.go).
    private const int HmacKeyBytes = 32;

    public static async Task<int> RunAsync(CommandLine line, TimeProvider time)
    {
        if (line.Positionals.Count < 2 || line.Positionals[0] != "eab")
        {
            throw new UsageException("acme needs a command: eab add, eab list or eab remove");
        }
        line.RejectUnknown("provisioner", "reference", "key-id", "ca-config");
        var (config, provisionerId) = FindProvisioner(line);
        await using var source = DbStoreSource.Open(config, mustExist: false);
        var store = new KeyValueAcmeStore(source.Store);
        foreach (var table in AcmeTables.TableSet.Tables)
        {
            await source.Store.CreateTableAsync(table).ConfigureAwait(false);
        }
        return line.Positionals[1] switch
        {
            "add" => await AddAsync(store, provisionerId, line.Get("reference") ?? "", time).ConfigureAwait(false),
            "list" => await ListAsync(store, provisionerId, line.Get("reference")).ConfigureAwait(false),
            "remove" => await RemoveAsync(store, provisionerId, line.Require("key-id")).ConfigureAwait(false),
            var other => throw new UsageException($"unknown acme eab command \"{other}\" (expected add, list or remove)"),
        };
    }

    private static (string ConfigPath, string ProvisionerId) FindProvisioner(CommandLine line)
    {
        var name = line.Require("provisioner");
        var path = Path.GetFullPath(line.Get("ca-config") ?? StepPath.DefaultConfigFile);
        var loaded = new CaConfigLoader(new CaConfigLoaderOptions { CheckFiles = false }).Load(path);
        var entry = loaded.Config.Authority.Provisioners.FirstOrDefault(p => p.Name == name)
            ?? throw new CommandFailedException($"{path} has no provisioner named {name}");
        if (!entry.IsType(ProvisionerTypeNames.Acme))
        {
            throw new CommandFailedException($"provisioner {name} is of type {entry.Type}; external account keys belong to ACME provisioners");
        }
        return (loaded.ConfigPath, Provisioner.DefaultId(entry.Type, entry.Name));
    }

    private static async Task<int> AddAsync(IAcmeStore store, string provisionerId, string reference, TimeProvider time)
    {
        if (reference.Length > 0 && (await store.ListExternalAccountKeysAsync(provisionerId, reference).ConfigureAwait(false)).Count > 0)
        {
            throw new CommandFailedException($"an external account key with reference {reference} already exists");
        }
        var key = new AcmeExternalAccountKey(AcmeIds.New(), provisionerId, reference, "",
            RandomNumberGenerator.GetBytes(HmacKeyBytes), AcmeClock.Now(time), DateTimeOffset.MinValue);
        await store.CreateExternalAccountKeyAsync(key).ConfigureAwait(false);
        // The HMAC key is shown once, base64url without padding as ACME clients take it (lego --hmac, certbot --eab-hmac-key).
        Console.Out.WriteLine($"Key ID: {key.Id}");
        Console.Out.WriteLine($"HMAC key (base64url): {Base64Url.EncodeToString(key.HmacKey)}");
        if (reference.Length > 0)
        {
            Console.Out.WriteLine($"Reference: {reference}");
        }
        return 0;
    }

    private static async Task<int> ListAsync(IAcmeStore store, string provisionerId, string? reference)
    {
        var keys = await store.ListExternalAccountKeysAsync(provisionerId, reference).ConfigureAwait(false);
        Console.Out.WriteLine("KEY ID\tREFERENCE\tCREATED\tBOUND AT\tACCOUNT");
        foreach (var key in keys)
        {
            var bound = key.IsBound ? key.BoundAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";
            Console.Out.WriteLine(string.Join('\t', key.Id, key.Reference.Length > 0 ? key.Reference : "-",
                key.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), bound, key.AccountId.Length > 0 ? key.AccountId : "-"));
        }
        return 0;
    }

    private static async Task<int> RemoveAsync(IAcmeStore store, string provisionerId, string keyId)
    {
        if (!await store.DeleteExternalAccountKeyAsync(provisionerId, keyId).ConfigureAwait(false))
        {
            throw new CommandFailedException($"provisioner {provisionerId} has no external account key {keyId}");
        }
        Console.Out.WriteLine($"Removed external account key {keyId}");
        return 0;
    }
}
