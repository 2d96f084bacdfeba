using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Provisioners.SshPop;

/// <summary>
/// The <c>SSHPOP</c> provisioner type (authority/provisioner/sshpop.go; extension type code 9): an
/// entry has only <c>name</c> and <c>claims</c> (step-ca's struct has no other member, so
/// <c>options</c> is neither used nor listed), and its id is <c>sshpop/&lt;name&gt;</c>.
/// </summary>
public static class SshPopProvisionerType
{
    /// <summary>The registration.</summary>
    public static ProvisionerTypeRegistration Registration { get; } = new(ProvisionerTypeNames.SshPop, Create)
    {
        ExtensionTypeCode = 9,
        Listing = new ProvisionerListing(["claims"]),
    };

    private static SshPopProvisioner Create(ProvisionerConfig config, ProvisionerBuildContext context)
    {
        if (string.IsNullOrEmpty(config.Name))
        {
            throw new CaConfigException("ca.json", [ConfigDiagnostic.Error(context.FieldPath + ".name", "provisioner name cannot be empty")]);
        }
        return new SshPopProvisioner(config, context);
    }
}
