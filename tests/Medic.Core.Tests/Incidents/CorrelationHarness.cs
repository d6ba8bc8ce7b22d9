using Medic.Core.Incidents;
using Medic.Core.Signals;
using Medic.Core.Tests.Support;
using Medic.Core.Topology;
using Medic.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Incidents;

/// <summary>The correlation stage over in-memory stores, a recording bus and a clock the test moves.</summary>
internal sealed class CorrelationHarness
{
    public CorrelationHarness(ITopology topology, CorrelationOptions? options = null)
    {
        Options = options ?? new CorrelationOptions();
        Stage = new CorrelationStage(Bus, Incidents, Signals, Silences, new SignalRelations(topology, Options), Options, Clock, NullLogger<CorrelationStage>.Instance);
    }

    public FakeTimeProvider Clock { get; } = new(Some.Start);

    public RecordingBus Bus { get; } = new();

    public InMemoryIncidentStore Incidents { get; } = new();

    public InMemorySignalStore Signals { get; } = new();

    public InMemorySilenceStore Silences { get; } = new();

    public CorrelationOptions Options { get; }

    public CorrelationStage Stage { get; }

    /// <summary>Hands the stage a signal observed now.</summary>
    public async Task<Signal> SignalAsync(string type, Entity entity, IReadOnlyDictionary<string, string>? labels = null, string? direction = null, string? metric = null)
    {
        var signal = Some.Signal(type, entity) with
        {
            ObservedAt = Clock.GetUtcNow(),
            Labels = labels ?? new Dictionary<string, string>(),
            Direction = direction,
            Metric = metric,
        };
        await Stage.HandleAsync(signal, CancellationToken.None);
        return signal;
    }

    /// <summary>Moves the clock and ticks the stage.</summary>
    public async Task PassAsync(TimeSpan span)
    {
        Clock.Advance(span);
        await Stage.OnTickAsync(Clock.GetUtcNow(), CancellationToken.None);
    }

    /// <summary>Every incident correlation has stored, oldest first.</summary>
    public async Task<List<Incident>> AllAsync() =>
        [.. (await Incidents.ListAsync(activeOnly: false, limit: 1000, CancellationToken.None)).OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<Signal>> SignalsOfAsync(Incident incident) => await Signals.ListByIncidentAsync(incident.Id, CancellationToken.None);
}
