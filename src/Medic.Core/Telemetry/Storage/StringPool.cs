using System.Collections.Concurrent;

namespace Medic.Core.Telemetry.Storage;

/// <summary>
/// One copy of each label name and value held by the store's series. Forgetting the pool never
/// breaks anything (series keep their own references), so it is simply cleared when it has grown
/// well past what the live series can use, e.g. after many pods came and went.
/// </summary>
internal sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pooled copy of <paramref name="value"/>.</summary>
    public string Intern(string value) => _strings.GetOrAdd(value, value);

    /// <summary>Clears the pool when it holds more than <paramref name="limit"/> strings.</summary>
    public void TrimTo(int limit)
    {
        if (_strings.Count > Math.Max(limit, 1024))
        {
            _strings.Clear();
        }
    }
}
