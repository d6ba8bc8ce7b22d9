using Medic.Core.Logs.Clustering;

namespace Medic.Core.Logs.Signals;

/// <summary>What the log signal stage keeps per service: the open window, rates, patterns and sessions.</summary>
internal sealed class ServiceLogs(string service, LogSignalOptions options)
{
    private readonly List<string> _names = [];

    public string Service { get; } = service;

    /// <summary>The time of its first log line.</summary>
    public DateTimeOffset? FirstSeen { get; set; }

    /// <summary>The time of its newest log line.</summary>
    public DateTimeOffset LatestAt { get; set; } = DateTimeOffset.MinValue;

    public ChangeNote? LastChange { get; set; }

    /// <summary>The open window's index (event time divided by the window length).</summary>
    public long Window { get; set; } = -1;

    /// <summary>Messages per template in the open window.</summary>
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Error-severity lines in the open window.</summary>
    public int Errors { get; set; }

    /// <summary>Windows closed so far.</summary>
    public long WindowsClosed { get; set; }

    /// <summary>Error-severity lines in the closed windows.</summary>
    public long ErrorsBefore { get; set; }

    /// <summary>Per template: messages in the closed windows, the first window it appeared in, and the last.</summary>
    public Dictionary<string, (long Total, long FirstWindow, long LastWindow)> Rates { get; } = new(StringComparer.Ordinal);

    /// <summary>The last window each kind of abnormality (a template's spike, an error burst, a pattern shift) was seen in.</summary>
    public Dictionary<string, long> Episodes { get; } = new(StringComparer.Ordinal);

    /// <summary>A number per template, for the count vectors.</summary>
    public Dictionary<string, int> Vocabulary { get; } = new(StringComparer.Ordinal);

    public PatternHistory WindowPatterns { get; } = new(options.Windows);

    public PatternHistory SessionPatterns { get; } = new(options.Sessions);

    /// <summary>Open sessions: last line and template counts.</summary>
    public Dictionary<string, (DateTimeOffset LastSeen, Dictionary<int, double> Counts)> Sessions { get; } = new(StringComparer.Ordinal);

    public bool Learning(DateTimeOffset at) => FirstSeen is not { } first || at - first < options.LearningPeriod;

    public int Key(string template)
    {
        if (!Vocabulary.TryGetValue(template, out var key))
        {
            Vocabulary[template] = key = _names.Count;
            _names.Add(template);
        }

        return key;
    }

    /// <summary>The template a vector key stands for.</summary>
    public string Name(int key) => _names[key];
}

/// <summary>The last change to a service.</summary>
internal sealed record ChangeNote(DateTimeOffset At, string Description);
