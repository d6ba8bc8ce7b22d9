using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>What an export did: points accepted, and points refused with the first reason.</summary>
/// <param name="Accepted">Points (or records, or spans) accepted.</param>
/// <param name="Rejected">Points refused; the export's response reports them as a partial success.</param>
/// <param name="Error">Why the first refused point was refused.</param>
public sealed record OtlpResult(long Accepted, long Rejected, string? Error)
{
    /// <summary>Why the export could not be read at all (nothing was stored), or null.</summary>
    public string? Malformed { get; init; }
}

/// <summary>The points of one export as they are stored: the finite samples for the detectors, and the count of what was refused.</summary>
internal sealed class OtlpBatch(SeriesStore store, List<Sample> collected, string source)
{
    private long _accepted;
    private long _rejected;
    private string? _error;

    public SeriesStore Store => store;

    public List<Sample> Collected => collected;

    /// <summary>The source new series count against.</summary>
    public string Source => source;

    public void Accept() => _accepted++;

    public void Reject(long points, string why)
    {
        _rejected += points;
        _error ??= why;
    }

    public OtlpResult Result() => new(_accepted, _rejected, _error);
}
