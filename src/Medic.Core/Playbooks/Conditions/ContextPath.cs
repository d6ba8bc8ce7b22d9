using System.Globalization;

namespace Medic.Core.Playbooks.Conditions;

/// <summary>Resolves dotted paths such as <c>anomaly.entity.pod_name</c> or <c>service.tags[0]</c> in a plain tree.</summary>
public static class ContextPath
{
    /// <summary>The value at <paramref name="path"/>, or null when any part is missing.</summary>
    public static object? Resolve(IReadOnlyDictionary<string, object?> context, string path)
    {
        object? current = context;
        foreach (var segment in path.Split('.'))
        {
            var name = segment;
            var index = -1;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && segment.EndsWith(']'))
            {
                name = segment[..bracket];
                if (!int.TryParse(segment.AsSpan(bracket + 1, segment.Length - bracket - 2), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                {
                    return null;
                }
            }

            current = current switch
            {
                IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(name),
                IDictionary<string, object?> map => map.TryGetValue(name, out var v) ? v : null,
                _ => null,
            };
            if (index >= 0)
            {
                current = current is IReadOnlyList<object?> list && index < list.Count ? list[index] : null;
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
