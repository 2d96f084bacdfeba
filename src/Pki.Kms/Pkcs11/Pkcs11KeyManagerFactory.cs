using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>Opens a <see cref="Pkcs11KeyManager"/> for a ca.json <c>kms</c> block, turning every failure into a start-up error naming the field.</summary>
internal static class Pkcs11KeyManagerFactory
{
    /// <summary>Loads the module, finds the token and logs in.</summary>
    /// <exception cref="CaConfigException">The module, token or PIN is wrong; names <c>kms.uri</c> and gives the module's reason.</exception>
    public static Pkcs11KeyManager Open(Pkcs11Settings settings, Pkcs11KeyNaming naming, IServiceProvider? services)
    {
        var logger = services?.GetService<ILoggerFactory>()?.CreateLogger("Smallstep.Pki.Kms.Pkcs11");
        Pkcs11Token token;
        try
        {
            token = Pkcs11Token.Open(settings, logger);
        }
        catch (Pkcs11ModuleException e)
        {
            throw Pkcs11Settings.Invalid(e.Message);
        }
        return new Pkcs11KeyManager(token, naming, settings.Pin, settings.SecurityOfficerPin);
    }
}
