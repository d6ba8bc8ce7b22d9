using System.Collections.Concurrent;

namespace Medic.Core.Workflows;

/// <summary>
/// The runs in flight in this process, so a person can stop one, or withdraw the approval it runs
/// on, while it runs. A withdrawal is remembered, so a run of that decision that registers a moment
/// later (it was about to start) is stopped before its first step.
/// </summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<string, Registration> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _withdrawn = new(StringComparer.Ordinal);

    /// <summary>Registers a run of <paramref name="decisionId"/>; dispose the result when the run ends.</summary>
    public Registration Register(string runId, string decisionId)
    {
        var registration = new Registration(this, runId, decisionId);
        _runs[runId] = registration;
        if (_withdrawn.TryGetValue(decisionId, out var reason))
        {
            registration.Cancel(reason);
        }

        return registration;
    }

    /// <summary>Asks a run to stop; false when it is not running here.</summary>
    public bool Cancel(string runId, string reason) => _runs.TryGetValue(runId, out var registration) && registration.Cancel(reason);

    /// <summary>Stops the runs of a decision, now and any that start later; true when one was running here.</summary>
    public bool CancelDecision(string decisionId, string reason)
    {
        _withdrawn[decisionId] = reason;
        var cancelled = false;
        foreach (var registration in _runs.Values.Where(r => r.DecisionId == decisionId))
        {
            cancelled |= registration.Cancel(reason);
        }

        return cancelled;
    }

    /// <summary>Asks every run in flight here to stop (the process is being stopped by its operator).</summary>
    public void CancelAll(string reason)
    {
        foreach (var registration in _runs.Values)
        {
            registration.Cancel(reason);
        }
    }

    /// <summary>A run's registration: its token, why it was cancelled, and its removal on dispose.</summary>
    public sealed class Registration : IDisposable
    {
        private readonly RunCancellations _owner;
        private readonly string _runId;
        private readonly CancellationTokenSource _source = new();
        private readonly Lock _lock = new();
        private bool _disposed;

        internal Registration(RunCancellations owner, string runId, string decisionId)
        {
            _owner = owner;
            _runId = runId;
            DecisionId = decisionId;
        }

        /// <summary>The decision the run executes.</summary>
        public string DecisionId { get; }

        /// <summary>Cancelled when a person stops the run.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>Why it was cancelled, once it was.</summary>
        public string? Reason { get; private set; }

        /// <inheritdoc />
        public void Dispose()
        {
            _owner._runs.TryRemove(new KeyValuePair<string, Registration>(_runId, this));
            lock (_lock)
            {
                _disposed = true;
                _source.Dispose();
            }
        }

        internal bool Cancel(string reason)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                Reason ??= reason;
                _source.Cancel();
                return true;
            }
        }
    }
}
