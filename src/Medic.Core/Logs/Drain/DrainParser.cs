using System.Runtime.InteropServices;

namespace Medic.Core.Logs.Drain;

/// <summary>
/// Drain: an online log parser over a fixed-depth prefix tree (He et al., ICWS 2017). A message,
/// split on whitespace, is routed by its token count and then by its first tokens (a token with a
/// digit, or one past a full node, goes to the wildcard child) to a leaf of clusters; it joins
/// the most similar cluster there if similar enough, and the template becomes <c>&lt;*&gt;</c>
/// where they differ; otherwise it starts a cluster. Lookups use spans, so a message that joins
/// an existing cluster allocates nothing. Not thread-safe: give each thread its own parser.
/// </summary>
public sealed class DrainParser
{
    /// <summary>The variable token. Templates hold this very instance, so a reference check finds it.</summary>
    public static readonly string Wildcard = Parsing.LogMasker.Wildcard;

    private readonly DrainOptions _options;
    private readonly Dictionary<int, Node> _byLength = [];
    private readonly List<LogCluster> _clusters = [];
    private readonly TokenPool _pool = new();
    private Range[] _tokens = new Range[64];

    /// <summary>Creates a parser with <paramref name="options"/>.</summary>
    public DrainParser(DrainOptions? options = null)
    {
        _options = options ?? new DrainOptions();
        if (_options.Depth < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.Depth, "Drain's depth is at least 3 (root, length, leaf).");
        }
    }

    /// <summary>The clusters, in order of creation.</summary>
    public IReadOnlyList<LogCluster> Clusters => _clusters;

    /// <summary>Adds one message (already masked) and returns the cluster it joined or started.</summary>
    public LogCluster Add(ReadOnlySpan<char> message)
    {
        var count = Tokenize(message);
        var tokens = _tokens.AsSpan(0, count);
        var leaf = Search(message, tokens);
        var cluster = leaf is null ? null : BestMatch(leaf, message, tokens);
        if (cluster is null)
        {
            cluster = new LogCluster(_clusters.Count + 1, _pool.Intern(message, tokens));
            _clusters.Add(cluster);
            Insert(cluster);
            return cluster;
        }

        cluster.Size++;
        Generalize(cluster, message, tokens);
        return cluster;
    }

    /// <summary>Splits on runs of whitespace, as Python's <c>str.split()</c> does.</summary>
    private int Tokenize(ReadOnlySpan<char> message)
    {
        var count = 0;
        var i = 0;
        while (i < message.Length)
        {
            while (i < message.Length && char.IsWhiteSpace(message[i]))
            {
                i++;
            }

            var start = i;
            while (i < message.Length && !char.IsWhiteSpace(message[i]))
            {
                i++;
            }

            if (i > start)
            {
                if (count == _tokens.Length)
                {
                    Array.Resize(ref _tokens, _tokens.Length * 2);
                }

                _tokens[count++] = new Range(start, i);
            }
        }

        return count;
    }

    /// <summary>The leaf a message routes to, or null when the tree has no path for it.</summary>
    private List<LogCluster>? Search(ReadOnlySpan<char> message, ReadOnlySpan<Range> tokens)
    {
        if (!_byLength.TryGetValue(tokens.Length, out var node))
        {
            return null;
        }

        var layers = Math.Min(_options.Depth - 3, tokens.Length);
        for (var i = 0; i < layers; i++)
        {
            var children = node.Children;
            if (children is null)
            {
                return null;
            }

            if (!children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(message[tokens[i]], out var child) && !children.TryGetValue(Wildcard, out child))
            {
                return null;
            }

            node = child;
        }

        return node.Clusters;
    }

    /// <summary>The most similar cluster at the leaf (ties: the one with more variables), if similar enough.</summary>
    private LogCluster? BestMatch(List<LogCluster> leaf, ReadOnlySpan<char> message, ReadOnlySpan<Range> tokens)
    {
        LogCluster? best = null;
        var bestSimilar = -1;
        var bestVariables = -1;
        foreach (var cluster in CollectionsMarshal.AsSpan(leaf))
        {
            var template = cluster.Tokens;
            var similar = 0;
            var variables = 0;
            for (var i = 0; i < tokens.Length; i++)
            {
                var token = template[i];
                if (ReferenceEquals(token, Wildcard))
                {
                    variables++;
                }
                else if (message[tokens[i]].SequenceEqual(token))
                {
                    similar++;
                }
            }

            if (similar > bestSimilar || (similar == bestSimilar && variables > bestVariables))
            {
                (best, bestSimilar, bestVariables) = (cluster, similar, variables);
            }
        }

        // The same floating-point test as the reference, so borderline messages fall the same way.
        var similarity = tokens.Length == 0 ? 1.0 : (double)bestSimilar / tokens.Length;
        return best is not null && similarity >= _options.SimilarityThreshold ? best : null;
    }

    /// <summary>Turns every template token that differs from the message into a variable.</summary>
    private static void Generalize(LogCluster cluster, ReadOnlySpan<char> message, ReadOnlySpan<Range> tokens)
    {
        var template = cluster.Tokens;
        string[]? updated = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!ReferenceEquals(template[i], Wildcard) && !message[tokens[i]].SequenceEqual(template[i]))
            {
                updated ??= [.. template];
                updated[i] = Wildcard;
            }
        }

        if (updated is not null)
        {
            cluster.Replace(updated);
        }
    }

    /// <summary>Adds a new cluster to the tree, creating its path.</summary>
    private void Insert(LogCluster cluster)
    {
        var tokens = cluster.Tokens;
        if (!_byLength.TryGetValue(tokens.Count, out var node))
        {
            node = _byLength[tokens.Count] = new Node();
        }

        var layers = _options.Depth - 3;
        if (tokens.Count <= layers && _options.LegacyShortMessages)
        {
            // The reference implementation never files these; see DrainOptions.LegacyShortMessages.
            return;
        }

        for (var i = 0; i < Math.Min(layers, tokens.Count); i++)
        {
            node = Child(node, tokens[i]);
        }

        (node.Clusters ??= []).Add(cluster);
    }

    /// <summary>The child for a token when filing a cluster: the token's own while there is room, the wildcard's otherwise.</summary>
    private Node Child(Node node, string token)
    {
        var children = node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
        if (children.TryGetValue(token, out var child))
        {
            return child;
        }

        var hasWildcard = children.ContainsKey(Wildcard);
        var room = hasWildcard ? children.Count < _options.MaxChildren : children.Count + 1 < _options.MaxChildren;
        if (!HasDigit(token) && room)
        {
            return children[token] = new Node();
        }

        return children.TryGetValue(Wildcard, out var wildcard) ? wildcard : children[Wildcard] = new Node();
    }

    private static bool HasDigit(string token) => token.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; set; }

        public List<LogCluster>? Clusters { get; set; }
    }
}
