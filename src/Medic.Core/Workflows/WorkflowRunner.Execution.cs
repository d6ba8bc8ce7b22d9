using Medic.Core.Decisions;
using Medic.Core.Json;
using Medic.Core.Playbooks;

namespace Medic.Core.Workflows;

public sealed partial class WorkflowRunner
{
    /// <summary>The state of one run while it executes.</summary>
    private sealed class Execution
    {
        private readonly WorkflowRunner _runner;
        private readonly Dictionary<string, object?> _outputs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, object?> _model;
        private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

        public Execution(WorkflowRunner runner, Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context)
        {
            _runner = runner;
            _model = new Dictionary<string, object?>(context, StringComparer.Ordinal) { ["playbook_id"] = playbook.Id, [DecisionContext.Outputs] = _outputs };
            Run = new Run
            {
                Id = Guid.CreateVersion7().ToString("n"),
                DecisionId = decision.Id,
                IncidentId = decision.IncidentId,
                PlaybookId = playbook.Id,
                State = RunState.Running,
                StartedAt = runner.Now,
                Steps = playbook.Actions.Select(s => new StepRecord { Name = s.Name, Type = s.Type }).ToList(),
                Target = decision.Target,
            };
            Playbook = playbook;
        }

        public Run Run { get; private set; }

        private Playbook Playbook { get; }

        public StepRecord Step(string name) => Run.Steps.First(s => s.Name == name);

        /// <summary>Whether the step failed (even when a fallback handled it).</summary>
        public bool Failed(string name) => _failed.Contains(name);

        public void Put(StepRecord step) =>
            Run = Run with { Steps = Run.Steps.Select(s => s.Name == step.Name ? step : s).ToList() };

        public async Task SetAsync(StepRecord step, CancellationToken cancellationToken)
        {
            Put(step);
            await _runner.SaveRunAsync(Run, cancellationToken);
        }

        public Run Finish(RunState state, DateTimeOffset at, string? error) =>
            Run = Run with
            {
                State = state,
                FinishedAt = at,
                Error = error,
                Steps = Run.Steps.Select(s => s.State == StepState.Pending && !Playbook.FallbackSteps.Contains(s.Name) ? s with { State = StepState.Cancelled } : s).ToList(),
            };

        /// <summary>Runs a step; when it fails for good, runs its fallbacks in order. True when the step or its fallbacks succeeded (or it was skipped).</summary>
        public async Task<bool> RunWithFallbacksAsync(PlaybookStep step, CancellationToken cancellationToken)
        {
            var record = await _runner.RunStepAsync(this, step, _model, cancellationToken);
            await SetAsync(record, cancellationToken);
            await _runner.AnnounceAsync(Run, record, cancellationToken);
            if (record.State != StepState.Failed)
            {
                _outputs[step.Name] = PlainTree.FromJson(record.Output);
                return true;
            }

            _failed.Add(step.Name);
            if (step.OnFailure.Count == 0)
            {
                return false;
            }

            foreach (var fallback in step.OnFailure)
            {
                if (!await RunWithFallbacksAsync(Playbook.Step(fallback), cancellationToken))
                {
                    return false;
                }
            }

            await SetAsync(Step(step.Name) with { Log = [.. Step(step.Name).Log, $"handled by fallback {string.Join(", ", step.OnFailure)}"] }, cancellationToken);
            return true;
        }
    }
}
