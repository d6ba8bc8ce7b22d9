using System.Text.Json.Serialization;

namespace Medic.Core.Policy;

/// <summary>How far Medic may act without a person.</summary>
public enum AutomationLevel
{
    /// <summary>Recommend, then wait for a person to approve.</summary>
    [JsonStringEnumMemberName("L1")]
    L1 = 1,

    /// <summary>Act within the allowed windows, and notify.</summary>
    [JsonStringEnumMemberName("L2")]
    L2 = 2,

    /// <summary>Act.</summary>
    [JsonStringEnumMemberName("L3")]
    L3 = 3,
}
