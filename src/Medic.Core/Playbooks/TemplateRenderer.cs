using System.Globalization;
using Fluid;

namespace Medic.Core.Playbooks;

/// <summary>
/// Renders <c>{{ ... }}</c> templates (Liquid, through Fluid) against a decision context.
/// Strict: an unknown variable is an error, never an empty string. The rendered result is data:
/// it is passed to providers as a value and never evaluated again.
/// </summary>
public static class TemplateRenderer
{
    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new()
    {
        StrictVariables = true,
        StrictFilters = true,
        CultureInfo = CultureInfo.InvariantCulture,
        // A template that loops this long is a mistake, not a remediation.
        MaxSteps = 10_000,
    };

    /// <summary>True when <paramref name="text"/> holds template markup.</summary>
    public static bool IsTemplate(string text) =>
        text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    /// <summary>Checks the syntax; returns the parser's message, or null when valid.</summary>
    public static string? Validate(string text) =>
        Parser.TryParse(text, out _, out var error) ? null : error;

    /// <summary>Renders one template; throws <see cref="TemplateException"/> on a syntax error or an unknown variable.</summary>
    public static string Render(string text, IReadOnlyDictionary<string, object?> model)
    {
        if (!IsTemplate(text))
        {
            return text;
        }

        if (!Parser.TryParse(text, out var template, out var error))
        {
            throw new TemplateException($"template '{text}' does not parse: {error}");
        }

        var context = new TemplateContext(Options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }

        try
        {
            return template.Render(context, NullEncoder.Default);
        }
        catch (Exception e) when (e is FluidException or InvalidOperationException)
        {
            throw new TemplateException($"template '{text}' cannot be rendered: {e.Message}", e);
        }
    }

    /// <summary>Renders every string in a plain tree; other values are copied.</summary>
    public static object? RenderTree(object? tree, IReadOnlyDictionary<string, object?> model) => tree switch
    {
        string text => Render(text, model),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => RenderTree(p.Value, model), StringComparer.Ordinal),
        IReadOnlyList<object?> list => list.Select(item => RenderTree(item, model)).ToList(),
        _ => tree,
    };
}
