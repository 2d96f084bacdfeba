using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioners.Jwk;
using Smallstep.Pki.Provisioners.Pending;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Tests.Pending;

/// <summary>Builds catalogs over entries with the types <c>AddStepProvisioners()</c> registers, as the authority does.</summary>
internal static class StepCatalog
{
    public static readonly ProvisionerTypeRegistration[] Types = [JwkProvisionerType.Registration, .. PendingProvisionerTypes.All];

    private static readonly CaConfig Config = CaConfig.Parse("""{"root":"r","crt":"c","key":"k","address":":443","dnsNames":["ca"],"authority":{}}""");

    public static ProvisionerCatalog Build(IReadOnlyList<ProvisionerConfig> entries, TimeProvider? time = null, List<ConfigDiagnostic>? diagnostics = null) =>
        ProvisionerCatalogBuilder.BuildAsync([new ListSource(entries)], Types, Config, time ?? TimeProvider.System, diagnostics ?? []).AsTask().GetAwaiter().GetResult();

    private sealed class ListSource(IReadOnlyList<ProvisionerConfig> entries) : IProvisionerSource
    {
        public ValueTask<IReadOnlyList<ProvisionerSourceEntry>> LoadAsync(CaConfig config, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ProvisionerSourceEntry>>(entries.Select((e, i) => new ProvisionerSourceEntry(e, $"authority.provisioners[{i}]")).ToArray());
    }
}
