using System.Globalization;
using System.Text.RegularExpressions;

namespace Medic.Core;

/// <summary>Formats numbers and names for the lines people read (timelines, notifications, the demo).</summary>
public static partial class Humanize
{
    /// <summary>A fraction as a whole percentage: 0.934 → "93%".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A metric value in the unit its name declares: bytes as MiB, seconds as ms, ratios as percentages.</summary>
    public static string Value(string metric, double value) => metric switch
    {
        _ when metric.EndsWith("_bytes", StringComparison.Ordinal) => (value / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ when metric.EndsWith("_seconds", StringComparison.Ordinal) => (value * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ when metric.EndsWith("_ratio", StringComparison.Ordinal) || metric.EndsWith("_utilization", StringComparison.Ordinal) => (value * 100).ToString("0.0#", CultureInfo.InvariantCulture) + "%",
        _ => value.ToString("G4", CultureInfo.InvariantCulture),
    };

    /// <summary>An enum value as words: NotRecovered → "not recovered".</summary>
    public static string Words<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        CapitalLetter().Replace(value.ToString(), m => (m.Index == 0 ? "" : " ") + m.Value.ToLowerInvariant());

    [GeneratedRegex("[A-Z]")]
    private static partial Regex CapitalLetter();
}
