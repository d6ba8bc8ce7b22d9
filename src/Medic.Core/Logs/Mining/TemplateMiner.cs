using System.Collections.Concurrent;
using Medic.Core.Logs.Parsing;

namespace Medic.Core.Logs.Mining;

/// <summary>A message's template, as mined.</summary>
/// <param name="Partition">The partition (service) it was mined in.</param>
/// <param name="TemplateId">The template's id within the partition; it survives restarts.</param>
/// <param name="Template">The template text (with the message's value at an enumeration).</param>
/// <param name="IsNew">Whether the message started the template.</param>
public sealed record MinedLog(string Partition, int TemplateId, string Template, bool IsNew);

/// <summary>A partition's state to save, with the version and tick it was taken at.</summary>
public sealed record PartitionState(string Partition, LogParserState State, long Version, long Tick);

/// <summary>
/// Mines templates per partition (a service): one <see cref="LogParser"/> each, used under its own
/// lock, so partitions are mined in parallel and each in order. What each parser learned can be
/// exported when it changed and restored at start, so template ids survive restarts.
/// </summary>
public sealed class TemplateMiner(LogParserOptions? options = null)
{
    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);

    /// <summary>The partitions mined so far.</summary>
    public IReadOnlyCollection<string> Partitions => [.. _partitions.Keys];

    /// <summary>Mines one message.</summary>
    public MinedLog Mine(string partition, string message)
    {
        var state = _partitions.GetOrAdd(partition, _ => new Partition(new LogParser(options)));
        lock (state)
        {
            var template = state.Parser.Add(message);
            var text = template.Tokens.Count > 0 && HasEnumeration(template) ? template.TextOf(state.Parser.LastTokens()) : template.Text;
            return new MinedLog(partition, template.Id, text, template.Size == 1);
        }
    }

    /// <summary>The templates of a partition with their counts (enumerations expanded), most frequent first.</summary>
    public IReadOnlyList<(int Id, string Text, long Count)> Templates(string partition)
    {
        if (!_partitions.TryGetValue(partition, out var state))
        {
            return [];
        }

        lock (state)
        {
            return [.. state.Parser.Templates.SelectMany(t => t.Variants().Select(v => (t.Id, v.Text, v.Count))).OrderByDescending(t => t.Count)];
        }
    }

    /// <summary>Replaces a partition's parser with one restored from <paramref name="saved"/>.</summary>
    public void Restore(string partition, LogParserState saved)
    {
        var parser = new LogParser(options, saved);
        _partitions[partition] = new Partition(parser) { SavedVersion = parser.Version, SavedTick = parser.Tick };
    }

    /// <summary>
    /// The partitions whose templates changed since they were last saved (with <paramref name="counts"/>,
    /// also those that only counted messages), with their state; call <see cref="MarkSaved"/> once saved.
    /// </summary>
    public IReadOnlyList<PartitionState> Unsaved(bool counts = false)
    {
        var changed = new List<PartitionState>();
        foreach (var (name, state) in _partitions)
        {
            lock (state)
            {
                if (state.Parser.Version != state.SavedVersion || (counts && state.Parser.Tick != state.SavedTick))
                {
                    changed.Add(new PartitionState(name, state.Parser.Export(), state.Parser.Version, state.Parser.Tick));
                }
            }
        }

        return changed;
    }

    /// <summary>Records that <paramref name="saved"/> reached the store.</summary>
    public void MarkSaved(PartitionState saved)
    {
        if (_partitions.TryGetValue(saved.Partition, out var state))
        {
            lock (state)
            {
                state.SavedVersion = saved.Version;
                state.SavedTick = saved.Tick;
            }
        }
    }

    private static bool HasEnumeration(LogTemplate template)
    {
        for (var i = 0; i < template.Tokens.Count; i++)
        {
            if (template.IsEnumeration(i))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Partition(LogParser parser)
    {
        public LogParser Parser { get; } = parser;

        public long SavedVersion { get; set; } = -1;

        public long SavedTick { get; set; } = -1;
    }
}
