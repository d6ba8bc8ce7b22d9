using Medic.Core.Bus;

namespace Medic.Core.Logs;

/// <summary>Log lines received together.</summary>
public sealed record LogBatch(IReadOnlyList<LogRecord> Records) : IMessage;

/// <summary>One log line: when, from which service, and what it says.</summary>
/// <param name="At">When it was written (event time).</param>
/// <param name="Service">The service that wrote it.</param>
/// <param name="Message">The message, without its header.</param>
public sealed record LogRecord(DateTimeOffset At, string Service, string Message)
{
    /// <summary>The severity as written (<c>ERROR</c>, <c>warn</c>, ...), when known.</summary>
    public string? Level { get; init; }

    /// <summary>A session the line belongs to (a request, a block, a job), when the source knows it.</summary>
    public string? Session { get; init; }

    /// <summary>The Kubernetes namespace.</summary>
    public string? Namespace { get; init; }
}
