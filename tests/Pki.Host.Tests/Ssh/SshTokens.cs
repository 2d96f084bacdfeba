using System.Text.Json;
using Smallstep.Pki.Tests.Host.Infrastructure;

namespace Smallstep.Pki.Tests.Host.Ssh;

/// <summary>JWK one-time tokens for <c>POST /1.0/ssh/sign</c>: step's <c>step.ssh</c> claim and the SSH sign audience.</summary>
internal static class SshTokens
{
    public const string SignAudience = "https://127.0.0.1/1.0/ssh/sign";

    /// <summary>A token for <paramref name="subject"/> carrying <paramref name="ssh"/> (certType, keyID, principals, ...).</summary>
    public static string Sign(ProvisionerKey provisioner, string subject, object ssh) =>
        provisioner.Signer().Sign(provisioner.Descriptor(subject, SignAudience) with { Sans = null, Step = JsonSerializer.SerializeToElement(new { ssh }) });
}
