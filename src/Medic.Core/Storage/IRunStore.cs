using Medic.Core.Workflows;

namespace Medic.Core.Storage;

/// <summary>Workflow runs and their step states.</summary>
public interface IRunStore
{
    /// <summary>Inserts or replaces a run with all its steps (called before and after every step).</summary>
    Task SaveAsync(Run run, CancellationToken cancellationToken);

    /// <summary>The run, or null.</summary>
    Task<Run?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs started at or after <paramref name="since"/>, and runs still running, oldest first.</summary>
    Task<IReadOnlyList<Run>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>An incident's runs, oldest first.</summary>
    Task<IReadOnlyList<Run>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken);
}
