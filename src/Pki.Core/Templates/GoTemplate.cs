using Smallstep.Pki.Templates.Execution;
using Smallstep.Pki.Templates.Parsing;

namespace Smallstep.Pki.Templates;

/// <summary>
/// A parsed Go <c>text/template</c> (the language of step-ca's certificate templates) with Go's
/// built-in functions, the commonly used sprig functions and step's <c>fail</c>. It renders
/// plain data (see <see cref="TemplateData"/>), never .NET objects, under the bounds of
/// <see cref="TemplateLimits"/>. Immutable once parsed; <see cref="Render"/> is thread-safe.
/// </summary>
/// <remarks>
/// <para>Language: text, <c>{{ }}</c> actions with <c>{{-</c>/<c>-}}</c> trimming, comments,
/// pipelines, variables (<c>:=</c>, <c>=</c>, <c>$</c>), field chains on maps, literals,
/// <c>if/else if/else</c>, <c>with/else with</c>, <c>range</c> (lists, maps in sorted key order,
/// integers; <c>break</c>/<c>continue</c>), <c>define</c>, <c>template</c>, <c>block</c>.</para>
/// <para>Functions: Go's <c>and or not len index print printf println eq ne lt le gt ge html js
/// urlquery</c>; sprig's <c>TxtFuncMap</c> (strings, lists, dicts, math, regex on a linear-time
/// engine, JSON, base32/64, digests, paths, dates, random strings); step's <c>fail toTime
/// formatTime parseTime mustParseTime toTimeLayout</c> and <c>asn1Enc asn1Marshal asn1Seq
/// asn1Set</c>. Times are Go <c>time.Time</c> values (printing, JSON, layouts, IANA zones).
/// Not provided: <c>env expandenv</c> (step removes them), <c>getHostByName</c>, <c>urlParse
/// urlJoin semver semverCompare bcrypt htpasswd derivePassword encryptAES decryptAES genPrivateKey
/// genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
/// genSignedCertWithKey buildCustomCert</c>; calling them is a parse error, as for any unknown
/// function. sprig's <c>slice</c> replaces Go's built-in, as in step.</para>
/// <para>Deviations from Go: long and double compare with each other; <c>keys</c>/<c>values</c>
/// use sorted key order; runtime messages name the position but not Go's
/// <c>executing "name" at &lt;...&gt;</c> context; no method calls, <c>call</c> or
/// <c>missingkey</c> option (so no <c>.Unix</c> or <c>.Format</c> on times); JSON numbers that are
/// integers are int64 here, float64 in Go, which matters where sprig switches on the type
/// (<c>date</c>, <c>duration</c> take them as seconds here, Go falls back to now or 0).</para>
/// </remarks>
/// <example>
/// <code>
/// var template = GoTemplate.Parse("leaf", "{ \"subject\": {{ toJson .Subject }} }");
/// var json = template.Render(TemplateData.FromJson(data));
/// </code>
/// </example>
public sealed class GoTemplate
{
    private readonly IReadOnlyDictionary<string, ListNode> templates;
    private readonly SourceMap map;
    private readonly TemplateLimits limits;

    private GoTemplate(string name, IReadOnlyDictionary<string, ListNode> templates, SourceMap map, TemplateLimits limits)
    {
        Name = name;
        this.templates = templates;
        this.map = map;
        this.limits = limits;
    }

    /// <summary>The name given at parse time; it prefixes every error message.</summary>
    public string Name { get; }

    /// <summary>The names of the templates defined by <c>define</c> and <c>block</c>, plus <see cref="Name"/>.</summary>
    public IReadOnlyCollection<string> TemplateNames => templates.Keys.ToList();

    /// <summary>Parses template text.</summary>
    /// <param name="name">The template's name, used in errors and by <c>{{template}}</c> calls.</param>
    /// <param name="text">The template source.</param>
    /// <param name="limits">Bounds for parsing and rendering; <see cref="TemplateLimits.Default"/> when null.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="TemplateException">Bad syntax, an unknown function or an undefined variable, with line and column.</exception>
    public static GoTemplate Parse(string name, string text, TemplateLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        limits ??= TemplateLimits.Default;
        var map = new SourceMap(name, text);
        if (text.Length > limits.MaxTemplateChars)
        {
            throw map.Error(0, $"template is longer than {limits.MaxTemplateChars} characters");
        }

        return new GoTemplate(name, Parser.Parse(text, map), map, limits);
    }

    /// <summary>Renders the template over <paramref name="data"/>, which becomes dot and <c>$</c>.</summary>
    /// <param name="data">Template data; converted with <see cref="TemplateData.Normalize(object?)"/> (so the caller's maps are never modified).</param>
    /// <param name="timeProvider">The clock and local zone of <c>now</c>, <c>toTime</c> and Go's <c>time.Local</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="TemplateFailException">The template called <c>fail</c>.</exception>
    /// <exception cref="TemplateException">A runtime error, or a limit was exceeded; the message names the position.</exception>
    public string Render(object? data, TimeProvider? timeProvider = null) => RenderTemplate(Name, data, timeProvider);

    /// <summary>Renders one of the templates this text defines, as Go's <c>ExecuteTemplate</c>.</summary>
    /// <param name="templateName">A name from <see cref="TemplateNames"/>.</param>
    /// <param name="data">Template data, as for <see cref="Render"/>.</param>
    /// <param name="timeProvider">The clock and local zone, as for <see cref="Render"/>.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="TemplateException">No such template, a runtime error or an exceeded limit.</exception>
    public string RenderTemplate(string templateName, object? data, TimeProvider? timeProvider = null)
    {
        if (!templates.ContainsKey(templateName))
        {
            throw map.Error(0, $"no template \"{templateName}\" associated with template \"{Name}\"");
        }

        object? normalized;
        try
        {
            normalized = TemplateData.Normalize(data);
        }
        catch (ArgumentException e)
        {
            throw map.Error(0, e.Message, e);
        }

        return new Executor(templates, map, limits, timeProvider ?? TimeProvider.System).Render(templateName, normalized);
    }
}
