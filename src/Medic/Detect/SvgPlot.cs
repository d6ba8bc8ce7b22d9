using System.Globalization;
using System.Text;
using Medic.Core.Detection.Offline;

namespace Medic.Detect;

/// <summary>An SVG of a series with its expected band and its anomalies marked: readable in any browser, no script.</summary>
internal static class SvgPlot
{
    private const int Width = 1200;
    private const int Height = 420;
    private const int Margin = 50;

    public static string Render(string title, DateTimeOffset[] times, double[] values, OfflineResult result)
    {
        var n = values.Length;
        var low = Math.Min(values.Min(), result.Lower.Min());
        var high = Math.Max(values.Max(), result.Upper.Max());
        if (high <= low)
        {
            (low, high) = (low - 1, high + 1);
        }

        string X(int i) => F(Margin + ((Width - (2.0 * Margin)) * i / Math.Max(1, n - 1)));
        string Y(double v) => F(Height - Margin - ((Height - (2.0 * Margin)) * (v - low) / (high - low)));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="sans-serif" font-size="12">""").Append('\n');
        svg.Append("""<rect width="100%" height="100%" fill="white"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Margin}" y="24" font-size="15">{Escape(title)}</text>""").Append('\n');

        // The band: upper edge left to right, lower edge back.
        svg.Append("""<polygon fill="#cfe3f7" stroke="none" points=" """);
        for (var i = 0; i < n; i++)
        {
            svg.Append(X(i)).Append(',').Append(Y(result.Upper[i])).Append(' ');
        }

        for (var i = n - 1; i >= 0; i--)
        {
            svg.Append(X(i)).Append(',').Append(Y(result.Lower[i])).Append(' ');
        }

        svg.Append("\"><title>expected band</title></polygon>\n");
        svg.Append("""<polyline fill="none" stroke="#5b8fd0" stroke-width="1" stroke-dasharray="3,2" points=" """);
        for (var i = 0; i < n; i++)
        {
            svg.Append(X(i)).Append(',').Append(Y(result.Expected[i])).Append(' ');
        }

        svg.Append("\"><title>expected</title></polyline>\n");
        svg.Append("""<polyline fill="none" stroke="#222" stroke-width="1" points=" """);
        for (var i = 0; i < n; i++)
        {
            svg.Append(X(i)).Append(',').Append(Y(values[i])).Append(' ');
        }

        svg.Append("\"><title>value</title></polyline>\n");
        foreach (var anomaly in result.Anomalies)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{X(anomaly.Start)}" y="{Margin}" width="{F(Math.Max(2, double.Parse(X(anomaly.End), CultureInfo.InvariantCulture) - double.Parse(X(anomaly.Start), CultureInfo.InvariantCulture)))}" height="{Height - (2 * Margin)}" fill="#d62728" fill-opacity="0.12"/>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(anomaly.Peak)}" cy="{Y(values[anomaly.Peak])}" r="4" fill="#d62728"><title>{times[anomaly.Peak]:u}: {values[anomaly.Peak].ToString("G6", CultureInfo.InvariantCulture)}, expected {result.Expected[anomaly.Peak].ToString("G6", CultureInfo.InvariantCulture)}, score {anomaly.Score:0.00}</title></circle>""").Append('\n');
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Margin}" y="{Height - 18}">{times[0]:u}</text><text x="{Width - Margin}" y="{Height - 18}" text-anchor="end">{times[^1]:u}</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Margin - 6}" y="{Y(high)}" text-anchor="end" dominant-baseline="middle">{high.ToString("G4", CultureInfo.InvariantCulture)}</text><text x="{Margin - 6}" y="{Y(low)}" text-anchor="end" dominant-baseline="middle">{low.ToString("G4", CultureInfo.InvariantCulture)}</text>""").Append('\n');
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
