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
        private readonly Dictionary<string, object?> _outputs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, object?> _model;
        private readonly HashSet<string> _started = new(StringComparer.Ordinal);
        private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _dependencies;
        private readonly SemaphoreSlim _lock = new(1, 1);

        public Execution(WorkflowRunner runner, Run run, Playbook playbook, IReadOnlyDictionary<string, object?> context)
        {
            _runner = runner;
            Run = run;
            Playbook = playbook;
            _dependencies = StepGraph.Dependencies(playbook.Actions);
            _model = new Dictionary<string, object?>(context, StringComparer.Ordinal) { ["playbook_id"] = playbook.Id, [DecisionContext.Outputs] = _outputs };
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

        public bool AllDone => _dependencies.Keys.All(_started.Contains);

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
        };

        public StepRecord Step(string name) => Run.Steps.First(s => s.Name == name);

        /// <summary>Main steps not started whose dependencies have all finished, in file order.</summary>
        public List<string> Ready() =>
            Playbook.Actions.Select(a => a.Name)
                .Where(n => _dependencies.ContainsKey(n) && !_started.Contains(n) && _dependencies[n].All(d => Finished(d)))
                .ToList();

        /// <summary>A dependency that failed (even if a fallback handled it) or was not run.</summary>
        public string? UnmetDependency(string name)
        {
            var unmet = _dependencies[name].FirstOrDefault(d => Step(d).State == StepState.Failed || (Step(d).State == StepState.Skipped && Step(d).Error?.StartsWith("skipped:", StringComparison.Ordinal) == true));
            if (unmet is not null)
            {
                _started.Add(name);
            }

            return unmet;
        }

        public void Start(string name) => _started.Add(name);

        public void Put(StepRecord step) =>
            Run = Run with { Steps = Run.Steps.Select(s => s.Name == step.Name ? step : s).ToList() };

        public async Task SetAsync(StepRecord step, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(CancellationToken.None);
            try
            {
                Put(step);
                await _runner.SaveRunAsync(Run, cancellationToken);
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
            var record = await _runner.RunStepAsync(this, step, _model, cancellationToken);
            await SetAsync(record, CancellationToken.None);
            await _runner.AnnounceAsync(Run, record, CancellationToken.None);
            if (record.State is StepState.Succeeded or StepState.Skipped)
            {
                lock (_outputs)
                {
                    _outputs[step.Name] = PlainTree.FromJson(record.Output);
                }

                return true;
            }

            if (step.OnFailure.Count == 0 || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            foreach (var fallback in step.OnFailure)
            {
                if (!await RunWithFallbacksAsync(fallback, cancellationToken))
                {
                    return false;
                }
            }

            await SetAsync(Step(step.Name) with { Log = [.. Step(step.Name).Log, $"handled by fallback {string.Join(", ", step.OnFailure)}"] }, CancellationToken.None);
            return true;
        }

        public void Dispose() => _lock.Dispose();

        private bool Finished(string name) => _started.Contains(name) && Step(name).State is not (StepState.Pending or StepState.Running);
    }
}
