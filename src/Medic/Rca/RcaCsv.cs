using System.Globalization;

namespace Medic.Rca;

/// <summary>Number parsing shared by the dataset readers: an empty or unparsable cell is a missing value.</summary>
internal static class RcaCsv
{
    public static double Number(ReadOnlySpan<char> cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
}
