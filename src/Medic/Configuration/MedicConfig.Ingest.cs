using Medic.Adapters.Ingest;
using Medic.Core.Telemetry.Storage;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    private static IngestLimits Ingest(IngestSection? section, Errors errors)
    {
        var defaults = new IngestLimits();
        return new IngestLimits
        {
            MaxBodyBytes = errors.Positive(section?.MaxBodyBytes, "ingest.max_body_bytes") ?? defaults.MaxBodyBytes,
            MaxDecompressedBytes = errors.Positive(section?.MaxDecompressedBytes, "ingest.max_decompressed_bytes") ?? defaults.MaxDecompressedBytes,
            MaxLabelsPerSeries = errors.Positive(section?.MaxLabelsPerSeries, "ingest.max_labels_per_series") ?? defaults.MaxLabelsPerSeries,
            MaxLabelNameBytes = errors.Positive(section?.MaxLabelNameBytes, "ingest.max_label_name_bytes") ?? defaults.MaxLabelNameBytes,
            MaxLabelValueBytes = errors.Positive(section?.MaxLabelValueBytes, "ingest.max_label_value_bytes") ?? defaults.MaxLabelValueBytes,
            MaxBatchesInFlight = errors.Positive(section?.MaxBatchesInFlight, "ingest.max_batches_in_flight") ?? defaults.MaxBatchesInFlight,
            MaxRequestsPerSecond = errors.Positive(section?.MaxRequestsPerSecond, "ingest.max_requests_per_second") ?? defaults.MaxRequestsPerSecond,
        };
    }

    private static SeriesStoreOptions Series(SeriesSection? section, Errors errors)
    {
        var defaults = new SeriesStoreOptions();
        var retention = errors.Duration(section?.Retention, "series.retention");
        if (retention <= TimeSpan.Zero)
        {
            errors.Add("series.retention", "must be longer than zero, e.g. 6h");
        }

        return new SeriesStoreOptions
        {
            Retention = retention ?? defaults.Retention,
            MaxSeries = errors.Positive(section?.MaxSeries, "series.max_series") ?? defaults.MaxSeries,
            MaxSeriesPerSource = errors.Positive(section?.MaxSeriesPerSource, "series.max_series_per_source") ?? defaults.MaxSeriesPerSource,
        };
    }
}
