using System.Runtime.InteropServices;

namespace Medic.Core.Logs.Parsing;

/// <summary>
/// Medic's log parser: Drain's fixed-depth prefix tree (He et al., ICWS 2017) over messages
/// masked by <see cref="LogMasker"/>, with three changes that make its templates match what people
/// write. Similarity counts only comparable positions (two variables say nothing); a message that
/// joins a template generalises it within tokens (<c>user=root</c> and <c>user=bob</c> give
/// <c>user=&lt;*&gt;</c>); and positions with a few recurring words are kept as enumerations.
/// Short messages are filed like any other. A message that joins an existing template allocates
/// nothing. Not thread-safe: give each thread (or partition) its own parser.
/// </summary>
public sealed class LogParser
{
    private const string Wildcard = LogMasker.Wildcard;
    private readonly LogParserOptions _options;
    private readonly LogMasker _masker;
    private readonly Dictionary<int, Node> _byLength = [];
    private readonly List<LogTemplate> _templates = [];
    private readonly TokenPool _pool = new();
    private readonly Dictionary<string, LogTemplate> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LogTemplate>.AlternateLookup<ReadOnlySpan<char>> _seenLookup;
    private char[] _merged = new char[256];

    private int _nextId = 1;
    private long _tick;

    /// <summary>Creates a parser, optionally with what an earlier one learned (same template ids).</summary>
    public LogParser(LogParserOptions? options = null, LogParserState? state = null)
    {
        _options = options ?? new LogParserOptions();
        _masker = new LogMasker(_options.Delimiters);
        if (_options.Depth < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.Depth, "The tree's depth is at least 3 (root, length, leaf).");
        }

        _seenLookup = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
        if (state is not null)
        {
            _tick = state.Tick;
            foreach (var saved in state.Templates.OrderBy(t => t.Id))
            {
                var template = new LogTemplate(saved, t => _pool.Intern(t), _options.EnumerationLimit);
                _templates.Add(template);

                // A route saved under another depth would never be reached: file it afresh.
                if (state.Depth == _options.Depth)
                {
                    File(template, template.Route);
                }
                else
                {
                    Insert(template);
                }
            }

            _nextId = Math.Max(state.NextId, _templates.Count == 0 ? 1 : _templates.Max(t => t.Id) + 1);
        }
    }

    /// <summary>Counts changes to the templates (new, generalised, forgotten), to know when to save them.</summary>
    public long Version { get; private set; }

    /// <summary>What the parser has learned, to persist.</summary>
    public LogParserState Export() => new(_nextId, _tick, [.. _templates.Select(t => t.Export())]) { Depth = _options.Depth };

    /// <summary>Messages added so far (the clock of least-recently-used eviction).</summary>
    public long Tick => _tick;


    /// <summary>Messages that repeated a remembered masked message.</summary>
    public long Repeats { get; private set; }

    /// <summary>The templates, in order of creation.</summary>
    public IReadOnlyList<LogTemplate> Templates => _templates;

    /// <summary>The last message's masked tokens (a copy).</summary>
    public string[] LastTokens()
    {
        var tokens = new string[_masker.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = _masker[i].ToString();
        }

        return tokens;
    }

    /// <summary>Adds a message and returns the template it joined or started.</summary>
    public LogTemplate Add(ReadOnlySpan<char> message)
    {
        _masker.Mask(message);
        var text = _masker.Text;
        var tokens = _masker.Ranges;

        // Masked messages repeat a great deal; a repeat joins the template it joined before.
        _tick++;
        if (_seenLookup.TryGetValue(text, out var seen))
        {
            Repeats++;
            seen.Size++;
            seen.LastUsed = _tick;
            seen.Count(text, tokens);
            return seen;
        }

        var leaf = Search(text, tokens);
        var template = leaf is null ? null : BestMatch(leaf, text, tokens);
        if (template is null)
        {
            template = new LogTemplate(_nextId++, _pool.Intern(text, tokens), _options.EnumerationLimit);
            _templates.Add(template);
            Insert(template);
            Version++;
            template.LastUsed = _tick;
            if (_templates.Count > _options.MaxTemplates)
            {
                Evict();
            }
        }
        else
        {
            template.Size++;
            Generalize(template, text, tokens);
        }

        template.LastUsed = _tick;
        template.Count(text, tokens);
        if (_options.RememberedMessages > 0)
        {
            if (_seen.Count >= _options.RememberedMessages)
            {
                _seen.Clear();
            }

            _seen[text.ToString()] = template;
        }
        return template;
    }

    private List<LogTemplate>? Search(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens)
    {
        if (!_byLength.TryGetValue(tokens.Length, out var node))
        {
            return null;
        }

        var layers = _options.Depth - 3;
        for (var i = 0; i < tokens.Length && layers > 0; i++)
        {
            var token = text[tokens[i]];
            if (IsVariable(token))
            {
                continue;
            }

            if (node.Children is not { } children || !children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var child))
            {
                return null;
            }

            node = child;
            layers--;
        }

        return node.Templates;
    }

    /// <summary>The most similar template at the leaf (ties: more variables), if similar enough.</summary>
    private LogTemplate? BestMatch(List<LogTemplate> leaf, ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens)
    {
        LogTemplate? best = null;
        var bestSimilarity = -1.0;
        var bestVariables = -1;
        foreach (var template in CollectionsMarshal.AsSpan(leaf))
        {
            var constant = template.Tokens;
            int same = 0, different = 0, variables = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                var a = constant[i];
                var b = text[tokens[i]];
                var aVariable = IsVariable(a);
                if (!aVariable && b.SequenceEqual(a))
                {
                    same++;
                }
                else if ((aVariable && IsVariable(b)) || ReferenceEquals(a, Wildcard))
                {
                    variables++;
                }
                else
                {
                    different++;
                }
            }

            var similarity = same + different == 0 ? 1.0 : (double)same / (same + different);
            if (similarity > bestSimilarity || (similarity == bestSimilarity && variables > bestVariables))
            {
                (best, bestSimilarity, bestVariables) = (template, similarity, variables);
            }
        }

        return best is not null && bestSimilarity >= _options.SimilarityThreshold ? best : null;
    }

    /// <summary>Generalises each template token the message differs from, within the token where it can.</summary>
    private void Generalize(LogTemplate template, ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens)
    {
        var current = template.Tokens;
        string[]? updated = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var a = current[i];
            var b = text[tokens[i]];
            if (b.SequenceEqual(a))
            {
                continue;
            }

            var merged = Merge(a, b);
            if (!merged.SequenceEqual(a))
            {
                updated ??= [.. current];
                updated[i] = _pool.Intern(merged);
            }
        }

        if (updated is not null)
        {
            template.Replace(updated);
            Version++;
        }
    }

    /// <summary>
    /// The common beginning and end of two tokens, by segment (a variable, a run of letters and
    /// digits, a run of other characters), with a variable between: <c>user=root</c> and
    /// <c>user=bob</c> give <c>user=&lt;*&gt;</c>; tokens with nothing in common give <c>&lt;*&gt;</c>.
    /// </summary>
    private ReadOnlySpan<char> Merge(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        const int MaxSegments = 64;
        Span<Range> sa = stackalloc Range[MaxSegments];
        Span<Range> sb = stackalloc Range[MaxSegments];
        var na = Segment(a, sa);
        var nb = Segment(b, sb);
        if (na < 0 || nb < 0)
        {
            return Wildcard;
        }

        var prefix = 0;
        while (prefix < Math.Min(na, nb) && a[sa[prefix]].SequenceEqual(b[sb[prefix]]))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < Math.Min(na, nb) - prefix && a[sa[na - 1 - suffix]].SequenceEqual(b[sb[nb - 1 - suffix]]))
        {
            suffix++;
        }

        if (_merged.Length < a.Length + Wildcard.Length)
        {
            _merged = new char[(a.Length * 2) + Wildcard.Length];
        }

        var length = 0;
        void Append(ReadOnlySpan<char> part, char[] into)
        {
            foreach (var c in part)
            {
                into[length++] = c;
                // "<*><*>" collapses to one variable.
                if (length >= 6 && into.AsSpan(length - 6, 6).SequenceEqual("<*><*>"))
                {
                    length -= 3;
                }
            }
        }

        Append(prefix > 0 ? a[..sa[prefix - 1].End] : [], _merged);
        Append(Wildcard, _merged);
        Append(suffix > 0 ? a[sa[na - suffix].Start..] : [], _merged);
        return _merged.AsSpan(0, length);
    }

    /// <summary>Splits a token into segments; -1 when it has more than fit.</summary>
    private static int Segment(ReadOnlySpan<char> token, Span<Range> segments)
    {
        var count = 0;
        var i = 0;
        while (i < token.Length)
        {
            if (count == segments.Length)
            {
                return -1;
            }

            var start = i;
            if (token[i..].StartsWith(Wildcard))
            {
                i += Wildcard.Length;
            }
            else if (char.IsAsciiLetterOrDigit(token[i]))
            {
                while (i < token.Length && char.IsAsciiLetterOrDigit(token[i]))
                {
                    i++;
                }
            }
            else if (token[i] == '<')
            {
                i++;
            }
            else
            {
                while (i < token.Length && !char.IsAsciiLetterOrDigit(token[i]) && token[i] != '<')
                {
                    i++;
                }
            }

            segments[count++] = new Range(start, i);
        }

        return count;
    }

    /// <summary>
    /// Files a new template under its length and its first constant tokens: variables are skipped,
    /// so messages that open with a timestamp or an id do not all crowd into one leaf.
    /// </summary>
    private void Insert(LogTemplate template)
    {
        var route = new List<string>(_options.Depth - 3);
        foreach (var token in template.Tokens)
        {
            if (route.Count == _options.Depth - 3)
            {
                break;
            }

            if (!IsVariable(token))
            {
                route.Add(token);
            }
        }

        File(template, [.. route]);
    }

    private void File(LogTemplate template, string[] route)
    {
        if (!_byLength.TryGetValue(template.Tokens.Count, out var node))
        {
            node = _byLength[template.Tokens.Count] = new Node();
        }

        foreach (var key in route)
        {
            var children = node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!children.TryGetValue(key, out var child))
            {
                children[key] = child = new Node();
            }

            node = child;
        }

        template.Route = route;
        template.Leaf = node.Templates ??= [];
        template.Leaf.Add(template);
    }

    /// <summary>Forgets the least recently used tenth of the templates (empty tree nodes stay; they are small).</summary>
    private void Evict()
    {
        var keep = _options.MaxTemplates - Math.Max(1, _options.MaxTemplates / 10);
        var forgotten = _templates.OrderBy(t => t.LastUsed).Take(_templates.Count - keep).ToHashSet();
        foreach (var template in forgotten)
        {
            template.Leaf?.Remove(template);
        }

        _templates.RemoveAll(forgotten.Contains);
        _seen.Clear();
        Version++;
    }

    private static bool IsVariable(ReadOnlySpan<char> token) => token.IndexOf(Wildcard, StringComparison.Ordinal) >= 0;

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; set; }

        public List<LogTemplate>? Templates { get; set; }
    }
}
