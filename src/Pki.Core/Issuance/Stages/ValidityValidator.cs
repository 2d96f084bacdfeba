using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;
using Smallstep.Pki.Time;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// The validity must end in the future, after it starts, and last between the claims' minimum and
/// maximum (plus the backdate, as step-ca allows) (sign_options.go <c>validityValidator</c>).
/// </summary>
public sealed class ValidityValidator(TimeSpan min, TimeSpan max) : ICertificateValidator<X509CertificateDescription>
{
    /// <inheritdoc />
    public void Validate(X509CertificateDescription certificate, IssuanceContext context)
    {
        var notAfter = Truncate(certificate.NotAfter);
        var notBefore = Truncate(certificate.NotBefore);
        var duration = notAfter - notBefore;
        if (notAfter < Truncate(context.Now))
        {
            throw PkiException.Forbidden($"notAfter cannot be in the past; na={notAfter:O}");
        }
        if (notAfter < notBefore)
        {
            throw PkiException.Forbidden($"notAfter cannot be before notBefore; na={notAfter:O}, nb={notBefore:O}");
        }
        if (duration < min)
        {
            throw PkiException.Forbidden($"requested duration of {GoDuration.Format(duration)} is less than the authorized minimum certificate duration of {GoDuration.Format(min)}");
        }
        if (duration > max + context.Backdate)
        {
            throw PkiException.Forbidden($"requested duration of {GoDuration.Format(duration)} is more than the authorized maximum certificate duration of {GoDuration.Format(max + context.Backdate)}");
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
