using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>What an export did: points accepted, and points refused with the first reason.</summary>
/// <param name="Accepted">Points (or records, or spans) accepted.</param>
/// <param name="Rejected">Points refused; the export's response reports them as a partial success.</param>
/// <param name="Error">Why the first refused point was refused.</param>
public readonly record struct OtlpResult(long Accepted, long Rejected, string? Error)
{
    /// <summary>Why the export could not be read at all (nothing was stored), or null.</summary>
    public string? Malformed { get; init; }
}

/// <summary>
/// The points of one export as they are stored: the finite samples for the detectors, and the count
/// of what was refused. One per thread, started afresh for each export, so reading allocates nothing.
/// </summary>
internal sealed class OtlpBatch
{
    private long _accepted;
    private long _rejected;
    private string? _error;

    public SeriesStore Store { get; private set; } = null!;

    public List<Sample> Collected { get; private set; } = null!;

    /// <summary>The source new series count against.</summary>
    public string Source { get; private set; } = SeriesStore.DefaultSource;

    public OtlpBatch Start(SeriesStore store, List<Sample> collected, string source)
    {
        (Store, Collected, Source) = (store, collected, source);
        (_accepted, _rejected, _error) = (0, 0, null);
        return this;
    }

    public void Accept() => _accepted++;

    public void Reject(long points, string why)
    {
        _rejected += points;
        _error ??= why;
    }

    /// <summary>What the export came to; the batch lets go of the caller's list, which is theirs to pass on.</summary>
    public OtlpResult Finish()
    {
        Collected = null!;
        return new(_accepted, _rejected, _error);
    }
}
