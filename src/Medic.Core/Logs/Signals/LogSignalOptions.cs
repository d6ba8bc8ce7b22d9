using Medic.Core.Logs.Clustering;

namespace Medic.Core.Logs.Signals;

/// <summary>When log streams raise signals.</summary>
public sealed record LogSignalOptions
{
    /// <summary>The counting window. Default one minute.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after a service's first log its new templates are expected, not signalled. Default 30 minutes.</summary>
    public TimeSpan LearningPeriod { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A new template this soon after a change to the same service is more suspicious. Default 30 minutes.</summary>
    public TimeSpan ChangeWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Windows of history a rate needs before it can spike. Default 10.</summary>
    public int MinBaselineWindows { get; init; } = 10;

    /// <summary>A template is rare below this many messages per window on average. Default 1.</summary>
    public double RareRate { get; init; } = 1.0;

    /// <summary>A rare template spikes with at least this many messages in a window... Default 5.</summary>
    public int MinSpikeCount { get; init; } = 5;

    /// <summary>...and when so many would happen by chance with probability below this (Poisson). Default 1e-6.</summary>
    public double SpikeProbability { get; init; } = 1e-6;

    /// <summary>Error-severity lines in a window that can make a burst... Default 10.</summary>
    public int MinErrorBurst { get; init; } = 10;

    /// <summary>...when so many errors would happen by chance with probability below this (Poisson). Default 1e-6.</summary>
    public double ErrorBurstProbability { get; init; } = 1e-6;

    /// <summary>The levels that count as errors (any case).</summary>
    public IReadOnlySet<string> ErrorLevels { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ERROR", "ERR", "FATAL", "CRITICAL", "CRIT", "SEVERE", "EMERG", "ALERT", "PANIC" };

    /// <summary>A regular expression whose first match in a message is its session key, when records carry none (e.g. <c>blk_-?\d+</c>). Default none.</summary>
    public string? SessionPattern { get; init; }

    /// <summary>A session ends after this long without a line. Default 2 minutes.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Open sessions kept per service; past it, the oldest is ended early. Default 100,000.</summary>
    public int MaxOpenSessions { get; init; } = 100_000;

    /// <summary>Quiet windows after which a template's spike, an error burst or a pattern shift that recurs is a new episode (a new signal). Default 5.</summary>
    public int EpisodeGap { get; init; } = 5;

    /// <summary>The fewest lines a window needs before its mix of templates is judged (and learnt). Default 20.</summary>
    public int MinPatternLines { get; init; } = 20;

    /// <summary>How windows are clustered.</summary>
    public PatternHistoryOptions Windows { get; init; } = new();

    /// <summary>How sessions are clustered.</summary>
    public PatternHistoryOptions Sessions { get; init; } = new() { Capacity = 2000, MinHistory = 100, ReclusterEvery = 200, Recent = 20 };

    /// <summary>How often changed templates are saved. Default one minute.</summary>
    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromMinutes(1);
}
