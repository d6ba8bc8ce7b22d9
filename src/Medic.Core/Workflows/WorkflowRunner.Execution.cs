using Medic.Core.Decisions;
using Medic.Core.Json;
using Medic.Core.Playbooks;

namespace Medic.Core.Workflows;

public sealed partial class WorkflowRunner
{
    /// <summary>The state of one run while it executes; steps update it side by side, under a lock.</summary>
    private sealed class Execution : IDisposable
    {
        private readonly WorkflowRunner _runner;
        private readonly IReadOnlyDictionary<string, object?> _context;
        private readonly Dictionary<string, object?> _outputs = new(StringComparer.Ordinal);
        private readonly HashSet<string> _started = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Task<bool>> _fallbacks = new(StringComparer.Ordinal);
        private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _dependencies;
        private readonly SemaphoreSlim _lock = new(1, 1);

        public Execution(WorkflowRunner runner, Run run, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken hostStopping)
        {
            _runner = runner;
            _context = context;
            Run = run;
            Playbook = playbook;
            HostStopping = hostStopping;
            _dependencies = StepGraph.Dependencies(playbook.Actions);
            foreach (var step in run.Steps.Where(s => s.State is not (StepState.Pending or StepState.Running)))
            {
                // A resumed run: what finished keeps its outcome and its output.
                _started.Add(step.Name);
                if (step.State == StepState.Succeeded)
                {
                    _outputs[step.Name] = PlainTree.FromJson(step.Output);
                }
            }
        }

        public Run Run { get; private set; }

        public Playbook Playbook { get; }

        /// <summary>Cancelled when the host stops (not when a person cancels the run).</summary>
        public CancellationToken HostStopping { get; }

        public bool AllDone => _dependencies.Keys.All(_started.Contains);

        /// <summary>A step failed and its fallbacks (if any) did not save it: the run stops.</summary>
        public bool FailedForGood { get; private set; }

        public static Run NewRun(Decision decision, Playbook playbook, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7().ToString("n"),
            DecisionId = decision.Id,
            IncidentId = decision.IncidentId,
            PlaybookId = playbook.Id,
            State = RunState.Running,
            StartedAt = now,
            Steps = playbook.Actions.Select(s => new StepRecord { Name = s.Name, Type = s.Type }).ToList(),
            Target = decision.Target,
            Owner = RunOwner.Current,
        };

        public StepRecord Step(string name) => Run.Steps.First(s => s.Name == name);

        /// <summary>Main steps not started whose dependencies have all finished, in file order.</summary>
        public List<string> Ready() =>
            Playbook.Actions.Select(a => a.Name)
                .Where(n => _dependencies.ContainsKey(n) && !_started.Contains(n) && _dependencies[n].All(Finished))
                .ToList();

        /// <summary>A dependency that failed (even if a fallback handled it), was stopped, or was not run.</summary>
        public string? UnmetDependency(string name)
        {
            var unmet = _dependencies[name].FirstOrDefault(d => Step(d) switch
            {
                { State: StepState.Failed or StepState.Cancelled or StepState.Interrupted } => true,
                { State: StepState.Skipped, Error: { } error } => error.StartsWith("skipped:", StringComparison.Ordinal),
                _ => false,
            });
            if (unmet is not null)
            {
                _started.Add(name);
            }

            return unmet;
        }

        public void Start(string name) => _started.Add(name);

        /// <summary>What templates and conditions of a step starting now see: the context and the outputs so far.</summary>
        public Dictionary<string, object?> Model()
        {
            lock (_outputs)
            {
                return new Dictionary<string, object?>(_context, StringComparer.Ordinal)
                {
                    ["playbook_id"] = Playbook.Id,
                    [DecisionContext.Outputs] = new Dictionary<string, object?>(_outputs, StringComparer.Ordinal),
                };
            }
        }

        public void Put(StepRecord step) =>
            Run = Run with { Steps = Run.Steps.Select(s => s.Name == step.Name ? step : s).ToList() };

        /// <summary>Records a step's new state and saves the run; saves are serialised so the last one holds the latest state.</summary>
        public async Task SetAsync(StepRecord step)
        {
            await _lock.WaitAsync(CancellationToken.None);
            try
            {
                Put(step);
                await _runner.SaveRunAsync(Run, CancellationToken.None);
            }
            finally
            {
                _lock.Release();
            }
        }

        public Run Finish(RunState state, DateTimeOffset at, string? error) =>
            Run = Run with
            {
                State = state,
                FinishedAt = at,
                Error = error,
                Steps = Run.Steps.Select(s => s.State == StepState.Running ? s with { State = StepState.Cancelled, Error = error }
                    : s.State == StepState.Pending && !Playbook.FallbackSteps.Contains(s.Name) ? s with { State = StepState.Cancelled }
                    : s).ToList(),
            };

        /// <summary>Runs a step; when it fails for good, runs its fallbacks in order. True when the step or its fallbacks succeeded (or it was skipped).</summary>
        public async Task<bool> RunWithFallbacksAsync(string name, CancellationToken cancellationToken)
        {
            var step = Playbook.Step(name);
            var record = await _runner.RunStepAsync(this, step, cancellationToken);

            // The output is there before the step shows as finished: a step that waits for this one may start the moment it does.
            if (record.State is StepState.Succeeded or StepState.Skipped)
            {
                lock (_outputs)
                {
                    _outputs[step.Name] = PlainTree.FromJson(record.Output);
                }
            }

            await SetAsync(record);
            await _runner.AnnounceAsync(Run, record);
            if (record.State is StepState.Succeeded or StepState.Skipped)
            {
                return true;
            }

            if (step.OnFailure.Count == 0 || cancellationToken.IsCancellationRequested)
            {
                FailedForGood = true;
                return false;
            }

            foreach (var fallback in step.OnFailure)
            {
                if (!await FallbackAsync(fallback, cancellationToken))
                {
                    FailedForGood = true;
                    return false;
                }
            }

            await SetAsync(Step(step.Name) with { Log = [.. Step(step.Name).Log, $"{HandledByFallback} {string.Join(", ", step.OnFailure)}"] });
            return true;
        }

        public void Dispose() => _lock.Dispose();

        /// <summary>A fallback runs once per run, even when two failing steps name it at the same time.</summary>
        private async Task<bool> FallbackAsync(string name, CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool>? mine = null;
            Task<bool> outcome;
            lock (_fallbacks)
            {
                if (!_fallbacks.TryGetValue(name, out outcome!))
                {
                    mine = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    outcome = _fallbacks[name] = mine.Task;
                }
            }

            if (mine is not null)
            {
                try
                {
                    mine.SetResult(Step(name).State == StepState.Pending ? await RunWithFallbacksAsync(name, cancellationToken) : Step(name).State == StepState.Succeeded);
                }
                catch (Exception e)
                {
                    mine.SetException(e);
                }
            }

            return await outcome;
        }

        private bool Finished(string name) => _started.Contains(name) && Step(name).State is not (StepState.Pending or StepState.Running);
    }
}
