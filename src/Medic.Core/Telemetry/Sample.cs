namespace Medic.Core.Telemetry;

/// <summary>One observation of a series.</summary>
public readonly record struct Sample(SeriesKey Series, DateTimeOffset Timestamp, double Value);
