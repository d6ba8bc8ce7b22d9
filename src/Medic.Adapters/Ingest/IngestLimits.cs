namespace Medic.Adapters.Ingest;

/// <summary>The limits every ingest endpoint enforces, each with its reason.</summary>
public sealed record IngestLimits
{
    /// <summary>Largest request body as sent (compressed). Default 16 MiB: a remote_write or OTLP batch is a few hundred KiB.</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest body once decompressed. Default 64 MiB: stops a gzip or snappy bomb before it is inflated.</summary>
    public int MaxDecompressedBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most labels on a series. Default 64: more is a labelling mistake (an id as a label) that would explode cardinality.</summary>
    public int MaxLabelsPerSeries { get; init; } = 64;

    /// <summary>Longest label name, in bytes. Default 128.</summary>
    public int MaxLabelNameBytes { get; init; } = 128;

    /// <summary>Longest label value, in bytes. Default 2048: longer values are payloads, not labels.</summary>
    public int MaxLabelValueBytes { get; init; } = 2048;

    /// <summary>
    /// Messages waiting for the stages (each sample batch waits once per stage that reads it) beyond
    /// which senders are told to back off (429, or RESOURCE_EXHAUSTED over gRPC). Default 256: a few
    /// hundred thousand samples, seconds of work, so a pause of the detectors does not turn into
    /// refusals at once, while a stage that has fallen behind does.
    /// </summary>
    public int MaxBatchesInFlight { get; init; } = 256;

    /// <summary>Requests a second one source (a tenant, or else an address) may send to the ingest endpoints. Default 2,000: a busy Prometheus sends a few hundred.</summary>
    public int MaxRequestsPerSecond { get; init; } = 2_000;
}
