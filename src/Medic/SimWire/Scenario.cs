using Medic.Core.Playbooks;
using Medic.Sim.Faults;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Medic.SimWire;

/// <summary>A fault of a scenario: its kind, and when it starts after the scenario does.</summary>
internal sealed record ScenarioFault(TimeSpan At, string Kind);

/// <summary>
/// What <c>medic sim</c> plays: how long (estate time) and which faults when.
/// <code>duration: 2h
/// faults:
///   - {at: 30m, kind: memory-leak}
///   - {at: 1h, kind: bad-config}</code>
/// </summary>
internal sealed record Scenario(TimeSpan Duration, IReadOnlyList<ScenarioFault> Faults)
{
    /// <summary>Half an hour of a healthy estate.</summary>
    public static readonly Scenario Quiet = new(TimeSpan.FromMinutes(30), []);

    /// <summary>Reads a scenario; every mistake names where it is.</summary>
    public static Scenario Load(string path)
    {
        ScenarioYaml file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<ScenarioYaml>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: the file is empty");
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}:{e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }

        var errors = new List<string>();
        var duration = TimeSpan.Zero;
        if (file.Duration is null || !Durations.TryParse(file.Duration, out duration) || duration <= TimeSpan.Zero)
        {
            errors.Add($"{path}: duration: '{file.Duration}' is not a duration; write e.g. 2h");
        }

        var faults = (file.Faults ?? []).Select((f, i) =>
        {
            var at = TimeSpan.Zero;
            if (f.At is null || !Durations.TryParse(f.At, out at))
            {
                errors.Add($"{path}: faults[{i}].at: '{f.At}' is not a time after the start; write e.g. 30m");
            }

            if (f.Kind is null || !FaultKinds.All.Contains(f.Kind))
            {
                errors.Add($"{path}: faults[{i}].kind: '{f.Kind}' is not a fault kind; use one of {string.Join(", ", FaultKinds.All)}");
            }

            return new ScenarioFault(at, f.Kind ?? "");
        }).OrderBy(f => f.At).ToList();
        return errors.Count > 0 ? throw new InvalidDataException(string.Join(Environment.NewLine, errors)) : new Scenario(duration, faults);
    }

#pragma warning disable CA1812, CA2227 // Instantiated and filled by the YAML deserializer.
    private sealed class ScenarioYaml
    {
        public string? Duration { get; set; }

        public List<FaultYaml>? Faults { get; set; }
    }

    private sealed class FaultYaml
    {
        public string? At { get; set; }

        public string? Kind { get; set; }
    }
#pragma warning restore CA1812, CA2227
}
