namespace Medic.Core.Policy;

/// <summary>Parses risks as people write them: <c>low</c>, <c>High</c>.</summary>
public static class Risks
{
    /// <summary>Parses a risk; false when the text is not low, medium, high or critical.</summary>
    public static bool TryParse(string text, out Risk risk) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out risk) && Enum.IsDefined(risk) && !char.IsAsciiDigit(text.Trim()[0]);
}
