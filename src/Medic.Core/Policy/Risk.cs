using System.Text.Json.Serialization;

namespace Medic.Core.Policy;

/// <summary>How much harm an action can do if it is the wrong one.</summary>
public enum Risk
{
    /// <summary>Reads, notifications: nothing changes.</summary>
    [JsonStringEnumMemberName("low")]
    Low = 1,

    /// <summary>Reversible changes to one workload: a rolling restart, a scale-up.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium = 2,

    /// <summary>Changes with a wide or lasting effect: a rollback, a drain, a scale-down.</summary>
    [JsonStringEnumMemberName("high")]
    High = 3,

    /// <summary>Changes that can take an estate down: deleting, running arbitrary commands.</summary>
    [JsonStringEnumMemberName("critical")]
    Critical = 4,
}
