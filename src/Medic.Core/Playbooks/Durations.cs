using System.Globalization;

namespace Medic.Core.Playbooks;

/// <summary>Parses durations written as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>.</summary>
public static class Durations
{
    /// <summary>Parses a duration; false when the text is not one.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : text.EndsWith('d') ? (text[..^1], 86_400.0)
            : (text, double.NaN);
        // NaN, infinities and spans past TimeSpan's range are not durations (TimeSpan.FromSeconds would throw on them).
        if (double.IsNaN(unit) || !double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !(value >= 0) || !(value * unit < TimeSpan.MaxValue.TotalSeconds))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }
}
