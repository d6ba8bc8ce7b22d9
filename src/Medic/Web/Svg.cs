using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Medic.Web;

/// <summary>The console's pictures, drawn on the server as SVG: a series with its expected band, and the service graph.</summary>
internal static class Svg
{
    /// <summary>
    /// <paramref name="samples"/> as a line over time, the expected band shaded, the anomaly's onset
    /// marked with a red line.
    /// </summary>
    public static string Chart(string title, IReadOnlyList<(DateTimeOffset At, double Value)> samples, double? bandLow, double? bandHigh, DateTimeOffset onset)
    {
        const double Width = 720, Height = 180, Left = 56, Right = 8, Top = 22, Bottom = 22;
        if (samples.Count < 2)
        {
            return $"<p class=\"chart-empty\">No recent samples of {E(title)}.</p>";
        }

        var values = samples.Select(s => s.Value).Concat(bandLow is { } low ? [low] : []).Concat(bandHigh is { } high ? [high] : []).ToList();
        var (min, max) = (values.Min(), values.Max());
        if (max - min < 1e-12)
        {
            (min, max) = (min - 1, max + 1);
        }

        var (start, end) = (samples[0].At, samples[^1].At);
        var span = Math.Max(1, (end - start).TotalSeconds);
        double X(DateTimeOffset at) => Left + ((Width - Left - Right) * (at - start).TotalSeconds / span);
        double Y(double value) => Top + ((Height - Top - Bottom) * (1 - ((value - min) / (max - min))));
        var svg = new StringBuilder(F($"<svg class=\"chart\" role=\"img\" aria-label=\"{E(title)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Append(F($"<text x=\"{Left}\" y=\"14\" font-size=\"12\" fill=\"#56606d\">{E(title)}</text>"));
        if (bandLow is { } bl && bandHigh is { } bh)
        {
            svg.Append(F($"<rect class=\"band\" x=\"{Left}\" y=\"{Y(bh):0.#}\" width=\"{Width - Left - Right}\" height=\"{Math.Max(1, Y(bl) - Y(bh)):0.#}\" fill=\"#3b6fd8\" fill-opacity=\"0.12\"/>"));
        }

        svg.Append(F($"<polyline class=\"series\" fill=\"none\" stroke=\"#1c2430\" stroke-width=\"1.5\" points=\"{string.Join(' ', samples.Select(s => F($"{X(s.At):0.#},{Y(s.Value):0.#}")))}\"/>"));
        if (onset >= start && onset <= end)
        {
            svg.Append(F($"<line class=\"onset\" x1=\"{X(onset):0.#}\" x2=\"{X(onset):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#d83b3b\" stroke-width=\"1.5\"/>"));
        }

        svg.Append(F($"<text x=\"2\" y=\"{Top + 10}\" font-size=\"11\" fill=\"#56606d\">{max:G4}</text><text x=\"2\" y=\"{Height - Bottom}\" font-size=\"11\" fill=\"#56606d\">{min:G4}</text>"));
        svg.Append(F($"<text x=\"{Left}\" y=\"{Height - 4}\" font-size=\"11\" fill=\"#56606d\">{start:HH:mm}</text><text x=\"{Width - Right - 34}\" y=\"{Height - 4}\" font-size=\"11\" fill=\"#56606d\">{end:HH:mm}</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Services as boxes in columns by call depth (callers left of their callees), calls as lines, the
    /// suspect in red and the other services of the incident in amber.
    /// </summary>
    public static string Graph(IReadOnlyCollection<string> services, IReadOnlyCollection<(string Caller, string Callee)> calls, string? suspect, IReadOnlySet<string> involved)
    {
        if (services.Count == 0)
        {
            return "<p class=\"graph-empty\">No service graph known yet.</p>";
        }

        // Depth: the longest chain of calls into a service, so callers stand left of what they call.
        var depth = services.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        for (var round = 0; round < services.Count; round++)
        {
            foreach (var (caller, callee) in calls)
            {
                if (depth.TryGetValue(caller, out var d) && depth.TryGetValue(callee, out var e) && e < d + 1 && d + 1 < services.Count)
                {
                    depth[callee] = d + 1;
                }
            }
        }

        const double Column = 150, Row = 40, BoxWidth = 124, BoxHeight = 26, Margin = 8;
        var columns = depth.GroupBy(d => d.Value).OrderBy(g => g.Key).ToList();
        var place = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            foreach (var (service, i) in column.Select(c => c.Key).Order(StringComparer.Ordinal).Select((s, i) => (s, i)))
            {
                place[service] = (Margin + (column.Key * Column), Margin + (i * Row));
            }
        }

        var width = Margin + (columns.Count * Column);
        var height = Margin + (columns.Max(c => c.Count()) * Row);
        var svg = new StringBuilder(F($"<svg class=\"graph\" role=\"img\" aria-label=\"service graph\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"));
        foreach (var (caller, callee) in calls.Where(c => place.ContainsKey(c.Caller) && place.ContainsKey(c.Callee)))
        {
            var (from, to) = (place[caller], place[callee]);
            svg.Append(F($"<line x1=\"{from.X + BoxWidth:0.#}\" y1=\"{from.Y + (BoxHeight / 2):0.#}\" x2=\"{to.X:0.#}\" y2=\"{to.Y + (BoxHeight / 2):0.#}\" stroke=\"#9aa3ad\"/>"));
        }

        foreach (var (service, (x, y)) in place)
        {
            var (fill, css) = service == suspect ? ("#d83b3b", "node suspect") : involved.Contains(service) ? ("#e8a23a", "node involved") : ("#ffffff", "node");
            svg.Append(F($"<g class=\"{css}\" data-service=\"{E(service)}\"><rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"4\" fill=\"{fill}\" stroke=\"#56606d\"/>"))
                .Append(F($"<text x=\"{x + 8}\" y=\"{y + 17}\" font-size=\"12\" fill=\"{(fill == "#ffffff" ? "#1c2430" : "#ffffff")}\">{E(service)}</text></g>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
