using Medic.Core.Bus;

namespace Medic.Core.Telemetry;

/// <summary>Samples that arrived together (one scrape, one remote_write request, one OTLP export).</summary>
public sealed record SampleBatch(IReadOnlyList<Sample> Samples) : IMessage;
