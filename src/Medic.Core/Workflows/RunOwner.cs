using System.Diagnostics;
using System.Globalization;

namespace Medic.Core.Workflows;

/// <summary>
/// Which process executes a run (<c>host:pid</c>), so that a Medic starting on the same database
/// does not take over a run another live process (a <c>medic run</c>, say) is still executing.
/// </summary>
public static class RunOwner
{
    /// <summary>This process.</summary>
    public static string Current { get; } = $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Whether another live process on this machine owns a run that started at <paramref name="startedAt"/>.
    /// A process that started after the run is not its owner (the id was reused); runs of other
    /// machines are taken over, as nothing here can tell whether they live.
    /// </summary>
    public static bool IsAnotherLiveProcess(string? owner, DateTimeOffset startedAt)
    {
        var parts = owner?.Split(':');
        if (owner is null || owner == Current || parts is not [var host, var pidText] || host != Environment.MachineName
            || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime() <= startedAt.UtcDateTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
