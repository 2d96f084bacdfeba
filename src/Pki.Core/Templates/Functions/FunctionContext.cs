using Smallstep.Pki.Go;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// What a function may need besides its arguments: the render's limits (so functions that build
/// strings or lists refuse sizes beyond <see cref="TemplateLimits.MaxOutputChars"/> before
/// allocating) and the injected clock and local time zone (sprig's <c>now</c>, Go's
/// <c>time.Local</c>). One per render; not shared between threads.
/// </summary>
internal sealed class FunctionContext(TemplateLimits limits, TimeProvider time)
{
    private GoLocation? local;

    public TemplateLimits Limits => limits;

    /// <summary>Go's <c>time.Local</c>: the time provider's local zone.</summary>
    public GoLocation Local => local ??= GoLocation.FromTimeZone(time.LocalTimeZone);

    /// <summary>Go's <c>time.Now()</c>: the current instant shown in <see cref="Local"/>.</summary>
    public GoTime Now() => GoTime.FromDateTimeOffset(time.GetUtcNow(), Local);

    /// <summary>Refuses a result of <paramref name="size"/> characters or elements beyond the output limit.</summary>
    public void EnsureSize(string fn, long size)
    {
        if (size > limits.MaxOutputChars)
        {
            throw new TemplateFunctionException($"result of {fn} would exceed {limits.MaxOutputChars} characters");
        }
    }
}
