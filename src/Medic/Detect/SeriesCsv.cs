using System.Globalization;

namespace Medic.Detect;

/// <summary>A <c>timestamp,value</c> CSV: a header line is optional; times are ISO 8601 (or <c>yyyy-MM-dd HH:mm:ss</c>, UTC) or Unix seconds or milliseconds.</summary>
internal static class SeriesCsv
{
    public static (DateTimeOffset[] Times, double[] Values) Read(string path)
    {
        var times = new List<DateTimeOffset>();
        var values = new List<double>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length < 2)
            {
                throw new InvalidDataException($"{path}:{line}: expected 'timestamp,value', got '{text}'");
            }

            var value = double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null;
            var time = Time(cells[0].Trim());
            if (value is null || time is null)
            {
                if (line == 1)
                {
                    continue;
                }

                throw new InvalidDataException($"{path}:{line}: '{text}' is not a time and a number (times: ISO 8601, 'yyyy-MM-dd HH:mm:ss' or Unix seconds; values: numbers with a dot)");
            }

            times.Add(time.Value);
            values.Add(value.Value);
        }

        return times.Count > 0 ? ([.. times], [.. values]) : throw new InvalidDataException($"{path}: no 'timestamp,value' rows");
    }

    private static DateTimeOffset? Time(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix)
            ? unix > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix)
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
