namespace Medic.Core.Learning.Drift;

/// <summary>
/// What the detectors' models did lately, for the API and game days: their refits (persisted as
/// well, through <see cref="Storage.IModelVersionStore"/>) and the signals models in shadow would
/// have raised. Bounded: the oldest go first. Thread-safe.
/// </summary>
public sealed class ModelRecords
{
    /// <summary>Records of each kind kept in memory.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<ModelVersion> _versions = new();
    private readonly Queue<ShadowAlarm> _shadowAlarms = new();

    /// <summary>The refits kept, oldest first.</summary>
    public IReadOnlyList<ModelVersion> Versions
    {
        get
        {
            lock (_lock)
            {
                return [.. _versions];
            }
        }
    }

    /// <summary>The signals models in shadow would have raised, oldest first.</summary>
    public IReadOnlyList<ShadowAlarm> ShadowAlarms
    {
        get
        {
            lock (_lock)
            {
                return [.. _shadowAlarms];
            }
        }
    }

    /// <summary>Keeps refits.</summary>
    public void Add(IEnumerable<ModelVersion> versions)
    {
        lock (_lock)
        {
            foreach (var version in versions)
            {
                Keep(_versions, version);
            }
        }
    }

    /// <summary>Counts a signal a model in shadow would have raised.</summary>
    public void Add(ShadowAlarm alarm)
    {
        lock (_lock)
        {
            Keep(_shadowAlarms, alarm);
        }
    }

    private static void Keep<T>(Queue<T> queue, T item)
    {
        if (queue.Count == Capacity)
        {
            queue.Dequeue();
        }

        queue.Enqueue(item);
    }
}

/// <summary>A signal a model in shadow would have raised.</summary>
/// <param name="Model">The model, e.g. isolation_forest.</param>
/// <param name="Key">Which one, e.g. the service.</param>
/// <param name="At">When the anomaly began.</param>
public sealed record ShadowAlarm(string Model, string Key, DateTimeOffset At);
