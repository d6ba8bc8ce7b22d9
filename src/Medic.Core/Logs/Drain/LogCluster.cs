namespace Medic.Core.Logs.Drain;

/// <summary>A group of log messages that share a template: constant tokens, and <c>&lt;*&gt;</c> where they vary.</summary>
public sealed class LogCluster
{
    private string? _template;

    internal LogCluster(int id, string[] tokens)
    {
        Id = id;
        Tokens = tokens;
    }

    /// <summary>The cluster's number, in order of creation from 1.</summary>
    public int Id { get; }

    /// <summary>The template's tokens; a variable is the shared <see cref="DrainParser.Wildcard"/> instance.</summary>
    public IReadOnlyList<string> Tokens { get; private set; }

    /// <summary>How many messages joined it.</summary>
    public long Size { get; internal set; } = 1;

    /// <summary>The template: its tokens joined with single spaces.</summary>
    public string Template => _template ??= string.Join(' ', Tokens);

    internal void Replace(string[] tokens)
    {
        Tokens = tokens;
        _template = null;
    }
}
