using System.Globalization;
using Medic.Core.Playbooks;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Medic.Sim.Estate;

/// <summary>
/// An estate written in YAML (<c>sim/estates/*.yaml</c>): namespace, entry service, peak load,
/// nodes, services and the call graph. Every mistake is reported with where it is and what to
/// write instead, all of them at once.
/// </summary>
public static class EstateFile
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    /// <summary>Reads an estate file.</summary>
    public static EstateSpec Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses an estate; <paramref name="source"/> names it in errors.</summary>
    public static EstateSpec Parse(string yaml, string source)
    {
        EstateYaml file;
        try
        {
            file = Deserializer.Deserialize<EstateYaml>(yaml) ?? throw new EstateFileException([$"{source}: the file is empty"]);
        }
        catch (YamlException e)
        {
            throw new EstateFileException([$"{source}:{e.Start.Line}:{e.Start.Column}: {(e.InnerException?.Message ?? e.Message).Replace("Property", "setting", StringComparison.Ordinal)}"]);
        }

        var errors = new List<string>();
        void Error(string field, string problem) => errors.Add($"{source}: {field}: {problem}");

        var nodes = (file.Nodes ?? []).Select((n, i) =>
        {
            var field = $"nodes[{i}]";
            if (string.IsNullOrWhiteSpace(n.Name) || string.IsNullOrWhiteSpace(n.Zone))
            {
                Error(field, "needs a name and a zone");
            }

            if (n.Cores is not > 0)
            {
                Error($"{field}.cores", "must be above 0");
            }

            var memory = Bytes(n.Memory);
            if (memory is null)
            {
                Error($"{field}.memory", $"'{n.Memory}' is not a size; write e.g. 16Gi or 512Mi");
            }

            return new NodeSpec(n.Name ?? "", n.Zone ?? "", n.Cores ?? 0, memory ?? 0);
        }).ToList();

        var services = (file.Services ?? []).Select((s, i) =>
        {
            var field = $"services[{i}]";
            if (string.IsNullOrWhiteSpace(s.Name) || string.IsNullOrWhiteSpace(s.Version))
            {
                Error(field, "needs a name and a version");
            }

            if (s.Replicas is not >= 1)
            {
                Error($"{field}.replicas", "must be at least 1");
            }

            var latency = TimeSpan.Zero;
            if (s.Latency is null || !Durations.TryParse(s.Latency, out latency) || latency <= TimeSpan.Zero)
            {
                Error($"{field}.latency", $"'{s.Latency}' is not a latency; write e.g. 40ms");
            }

            if (s.CpuPerRequest is not > 0)
            {
                Error($"{field}.cpu_per_request", "must be above 0 (CPU seconds per request)");
            }

            return new ServiceSpec(s.Name ?? "", s.Replicas ?? 1, s.Version ?? "", latency.TotalSeconds, s.CpuPerRequest ?? 0, s.Stateful ?? false, s.Tier ?? "core");
        }).ToList();

        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var duplicate in services.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            Error("services", $"'{duplicate.Key}' is defined {duplicate.Count()} times");
        }

        foreach (var duplicate in nodes.GroupBy(n => n.Name).Where(g => g.Count() > 1))
        {
            Error("nodes", $"'{duplicate.Key}' is defined {duplicate.Count()} times");
        }

        var calls = (file.Calls ?? []).Select((c, i) =>
        {
            var field = $"calls[{i}]";
            foreach (var (end, name) in new[] { ("from", c.From), ("to", c.To) })
            {
                if (name is null || !names.Contains(name))
                {
                    Error($"{field}.{end}", $"'{name}' is not a service of this estate");
                }
            }

            if (c.PerRequest is not > 0)
            {
                Error($"{field}.per_request", "must be above 0 (calls per request)");
            }

            return new CallSpec(c.From ?? "", c.To ?? "", c.PerRequest ?? 0);
        }).ToList();

        if (file.Entry is null || !names.Contains(file.Entry))
        {
            Error("entry", $"'{file.Entry}' is not a service of this estate; name the service the traffic comes into");
        }

        if (nodes.Count == 0 || services.Count == 0)
        {
            Error("nodes, services", "an estate needs at least one node and one service");
        }

        if (file.PeakRequestsPerSecond is not > 0)
        {
            Error("peak_requests_per_second", "must be above 0");
        }

        if (Cycle(calls) is { } cycle)
        {
            Error("calls", $"the call graph has a cycle ({cycle}); requests would never end");
        }

        return errors.Count > 0
            ? throw new EstateFileException(errors)
            : new EstateSpec(file.Namespace ?? "default", services, calls, nodes, file.Entry!, file.PeakRequestsPerSecond!.Value);
    }

    /// <summary>A size such as <c>16Gi</c>, <c>512Mi</c> or a number of bytes.</summary>
    private static long? Bytes(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var (digits, unit) = text.EndsWith("Gi", StringComparison.Ordinal) ? (text[..^2], 1L << 30)
            : text.EndsWith("Mi", StringComparison.Ordinal) ? (text[..^2], 1L << 20)
            : text.EndsWith("Ki", StringComparison.Ordinal) ? (text[..^2], 1L << 10)
            : (text, 1L);
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? (long)(value * unit) : null;
    }

    /// <summary>A cycle in the call graph written as <c>a → b → a</c>, or null.</summary>
    private static string? Cycle(IReadOnlyList<CallSpec> calls)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        string? Visit(string service)
        {
            state[service] = 1;
            path.Add(service);
            foreach (var call in calls.Where(c => c.From == service))
            {
                if (state.GetValueOrDefault(call.To) == 1)
                {
                    return string.Join(" → ", path.SkipWhile(p => p != call.To).Append(call.To));
                }

                if (state.GetValueOrDefault(call.To) == 0 && Visit(call.To) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[service] = 2;
            return null;
        }

        return calls.Select(c => c.From).Distinct().Where(s => state.GetValueOrDefault(s) == 0).Select(Visit).FirstOrDefault(c => c is not null);
    }

#pragma warning disable CA1812, CA2227 // Instantiated and filled by the YAML deserializer.
    private sealed class EstateYaml
    {
        public string? Namespace { get; set; }

        public string? Entry { get; set; }

        public double? PeakRequestsPerSecond { get; set; }

        public List<NodeYaml>? Nodes { get; set; }

        public List<ServiceYaml>? Services { get; set; }

        public List<CallYaml>? Calls { get; set; }
    }

    private sealed class NodeYaml
    {
        public string? Name { get; set; }

        public string? Zone { get; set; }

        public double? Cores { get; set; }

        public string? Memory { get; set; }
    }

    private sealed class ServiceYaml
    {
        public string? Name { get; set; }

        public int? Replicas { get; set; }

        public string? Version { get; set; }

        public string? Latency { get; set; }

        public double? CpuPerRequest { get; set; }

        public bool? Stateful { get; set; }

        public string? Tier { get; set; }
    }

    private sealed class CallYaml
    {
        public string? From { get; set; }

        public string? To { get; set; }

        public double? PerRequest { get; set; }
    }
#pragma warning restore CA1812, CA2227
}

/// <summary>An estate file with mistakes: each names where it is and what to write instead.</summary>
public sealed class EstateFileException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every mistake found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
