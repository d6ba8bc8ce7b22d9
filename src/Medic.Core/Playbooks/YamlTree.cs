using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medic.Core.Playbooks;

/// <summary>Reads YAML nodes for the playbook loader, collecting errors with their position and path.</summary>
internal sealed class YamlTree(string source)
{
    public List<PlaybookError> Errors { get; } = [];

    public void Error(YamlNode? node, string path, string message) =>
        Errors.Add(new PlaybookError(source, Line(node?.Start), Column(node?.Start), path, message));

    public void Error(Mark mark, string message) =>
        Errors.Add(new PlaybookError(source, Line(mark), Column(mark), "", message));

    /// <summary>Checks that a mapping has only known keys.</summary>
    public void OnlyKeys(YamlMappingNode map, string path, params string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Error(key, Join(path, name), $"unknown field '{name}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? Scalar(YamlMappingNode map, string key, string path, bool required)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, path, $"'{key}' is required");
            }

            return null;
        }

        if (node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value))
        {
            return scalar.Value;
        }

        Error(node, Join(path, key), $"'{key}' must be a non-empty text value");
        return null;
    }

    /// <summary>An optional whole number within [min, max].</summary>
    public int? Int(YamlMappingNode map, string key, string path, int min, int max)
    {
        if (Scalar(map, key, path, required: false) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(Get(map, key), Join(path, key), $"'{text}' is not a whole number from {min} to {max}");
        return null;
    }

    /// <summary>An optional number within [min, max].</summary>
    public double? Number(YamlMappingNode map, string key, string path, double min, double max)
    {
        if (Scalar(map, key, path, required: false) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(Get(map, key), Join(path, key), $"'{text}' is not a number from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return null;
    }

    /// <summary>An optional true/false.</summary>
    public bool? Bool(YamlMappingNode map, string key, string path)
    {
        if (Scalar(map, key, path, required: false) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(Get(map, key), Join(path, key), $"'{text}' is not true or false");
        return null;
    }

    /// <summary>An optional list of names; a single name is accepted as a list of one.</summary>
    public List<string> Names(YamlMappingNode map, string key, string path)
    {
        switch (Get(map, key))
        {
            case null:
                return [];
            case YamlScalarNode { Value: { Length: > 0 } one }:
                return [one];
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }):
                return list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
            case var other:
                Error(other, Join(path, key), $"'{key}' is a name or a list of names");
                return [];
        }
    }

    /// <summary>Converts a node to a plain tree: dictionaries, lists and strings.</summary>
    public static object? ToPlain(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value,
        YamlSequenceNode sequence => sequence.Children.Select(ToPlain).ToList(),
        YamlMappingNode map => map.Children.ToDictionary(
            c => (c.Key as YamlScalarNode)?.Value ?? c.Key.ToString(), c => ToPlain(c.Value), StringComparer.Ordinal),
        _ => null,
    };

    public static string Join(string path, string key) => string.IsNullOrEmpty(path) ? key : $"{path}.{key}";

    private static int Line(Mark? mark) => mark is null || mark.Value.Line <= 0 ? 0 : (int)mark.Value.Line;

    private static int Column(Mark? mark) => mark is null || mark.Value.Column <= 0 ? 0 : (int)mark.Value.Column;
}
