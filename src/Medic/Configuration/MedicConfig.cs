using System.Globalization;
using Medic.Adapters.Playbooks;
using Medic.Composition;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Medic.Configuration;

/// <summary>
/// Reads medic.yaml (documented in docs/configuration.md) into options. Every problem is
/// reported with the file, the field and what to write instead; with any problem, nothing is applied.
/// </summary>
public static partial class MedicConfig
{
    /// <summary>The file read when none is named and it exists.</summary>
    public const string DefaultFile = "medic.yaml";

    /// <summary>Applies <paramref name="path"/> to <paramref name="options"/>; returns the errors (empty when applied).</summary>
    public static IReadOnlyList<string> Apply(string path, MedicOptions options)
    {
        MedicConfigFile file;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            file = deserializer.Deserialize<MedicConfigFile?>(File.ReadAllText(path)) ?? new MedicConfigFile();
        }
        catch (YamlException e)
        {
            var what = (e.InnerException?.Message ?? e.Message).Replace("Property", "setting", StringComparison.Ordinal);
            return [$"{path}:{e.Start.Line}:{e.Start.Column}: {what}"];
        }

        var errors = new Errors(path);
        var policy = file.Policy is null ? new PolicyOptions() : Policy(file.Policy, errors);
        if (file.Environment is { } environment)
        {
            policy.Environment = environment;
        }

        var git = file.Playbooks?.Git is { } g ? Git(g, errors) : null;
        var reload = errors.Duration(file.Playbooks?.ReloadInterval, "playbooks.reload_interval");
        var http = Http(file.Actions?.Http, errors);
        var shell = Shell(file.Actions?.Shell, errors);
        var resilience = Resilience(file.Actions?.Resilience, errors);
        var slack = Slack(file.Notifiers?.Slack, errors);
        var pagerDuty = PagerDuty(file.Notifiers?.Pagerduty, errors);
        var webhooks = Webhooks(file.Notifiers?.Webhooks, errors);
        var ingest = Ingest(file.Ingest, errors);
        var series = Series(file.Series, errors);
        var groups = Groups(file.Detection?.Groups, errors);
        var multivariate = Multivariate(file.Detection?.Multivariate, errors);
        var correlation = Correlation(file.Correlation, errors);
        var auth = Auth(file.Auth, errors);
        if (errors.List.Count > 0)
        {
            return errors.List;
        }

        options.Policy = policy;
        options.DataPath = file.Data ?? options.DataPath;
        options.Urls = file.Urls ?? options.Urls;
        options.PlaybooksDirectory = file.Playbooks?.Directory ?? options.PlaybooksDirectory;
        options.Git = git;
        options.PlaybookReloadInterval = reload ?? options.PlaybookReloadInterval;
        options.KillSwitchFile = file.Policy?.KillSwitchFile ?? options.KillSwitchFile;
        options.Kubernetes = Kubernetes(file.Kubernetes);
        options.Http = http;
        options.Shell = shell;
        options.Ansible = Ansible(file.Actions?.Ansible);
        options.Resilience = resilience;
        options.Slack = slack;
        options.PagerDuty = pagerDuty;
        options.Webhooks = webhooks;
        options.Ingest = ingest;
        options.Series = series;
        options.Detection.Groups = groups;
        options.Detection.Multivariate = multivariate;
        options.Correlation = correlation;
        options.Auth = auth;
        options.OtlpGrpcUrl = file.Ingest?.OtlpGrpc ?? options.OtlpGrpcUrl;
        return [];
    }

    private static GitPlaybookOptions? Git(GitSection git, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(git.Url))
        {
            errors.Add("playbooks.git.url", "is required: the repository's URL or path");
            return null;
        }

        return new GitPlaybookOptions
        {
            Url = git.Url,
            Branch = git.Branch ?? "main",
            Path = git.Path,
            Checkout = git.Checkout ?? Path.Combine("data", "playbooks-git"),
        };
    }

    /// <summary>Collects errors, each as <c>file: field: problem</c>, and parses the value types medic.yaml uses.</summary>
    private sealed partial class Errors(string path)
    {
        public List<string> List { get; } = [];

        public void Add(string field, string problem) => List.Add($"{path}: {field}: {problem}");

        public TimeSpan? Duration(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (Durations.TryParse(text, out var duration))
            {
                return duration;
            }

            Add(field, $"'{text}' is not a duration; write e.g. 30s, 5m or 1h");
            return null;
        }

        public AutomationLevel? Level(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (Levels.TryParse(text, out var level))
            {
                return level;
            }

            Add(field, $"'{text}' is not an automation level; use L1, L2 or L3");
            return null;
        }

        public Risk? Risk(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (Risks.TryParse(text, out var risk))
            {
                return risk;
            }

            Add(field, $"'{text}' is not a risk; use low, medium, high or critical");
            return null;
        }

        public DateTimeOffset? Time(string? text, string field)
        {
            if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }

            Add(field, text is null ? "is required: a date and time such as 2026-12-20T00:00:00Z" : $"'{text}' is not a date and time; write e.g. 2026-12-20T00:00:00Z");
            return null;
        }
    }
}
