using System.Collections.Concurrent;

namespace Medic.Core.Workflows;

/// <summary>The runs in flight in this process, so a person can stop one (or withdraw its approval) while it runs.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Source, string? Reason)> _runs = new(StringComparer.Ordinal);

    /// <summary>Registers a run; dispose the result when the run ends.</summary>
    public Registration Register(string runId)
    {
        var source = new CancellationTokenSource();
        _runs[runId] = (source, null);
        return new Registration(this, runId, source);
    }

    /// <summary>Asks a run to stop; false when it is not running here.</summary>
    public bool Cancel(string runId, string reason)
    {
        if (!_runs.TryGetValue(runId, out var entry))
        {
            return false;
        }

        _runs[runId] = (entry.Source, reason);
        entry.Source.Cancel();
        return true;
    }

    /// <summary>Asks every run in flight here to stop (the process is being stopped by its operator).</summary>
    public void CancelAll(string reason)
    {
        foreach (var runId in _runs.Keys)
        {
            Cancel(runId, reason);
        }
    }

    /// <summary>Why the run was cancelled, when it was.</summary>
    public string? Reason(string runId) => _runs.TryGetValue(runId, out var entry) ? entry.Reason : null;

    /// <summary>A run's registration: its token, and its removal on dispose.</summary>
    public sealed class Registration(RunCancellations owner, string runId, CancellationTokenSource source) : IDisposable
    {
        /// <summary>Cancelled when a person stops the run.</summary>
        public CancellationToken Token => source.Token;

        /// <inheritdoc />
        public void Dispose()
        {
            owner._runs.TryRemove(runId, out _);
            source.Dispose();
        }
    }
}
