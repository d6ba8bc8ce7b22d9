namespace Medic.Core.Policy;

/// <summary>Parses automation levels as people write them: <c>L1</c>, <c>l2</c>.</summary>
public static class Levels
{
    /// <summary>Parses a level; false when the text is not L1, L2 or L3.</summary>
    public static bool TryParse(string text, out AutomationLevel level)
    {
        level = text.Trim().ToUpperInvariant() switch
        {
            "L1" => AutomationLevel.L1,
            "L2" => AutomationLevel.L2,
            "L3" => AutomationLevel.L3,
            _ => 0,
        };
        return level != 0;
    }
}
