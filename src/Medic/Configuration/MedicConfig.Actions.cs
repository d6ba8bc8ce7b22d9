using Medic.Adapters.Actions;
using Medic.Adapters.Actions.Ansible;
using Medic.Adapters.Actions.Http;
using Medic.Adapters.Actions.Shell;
using Medic.Adapters.Kubernetes;
using Medic.Adapters.Notifications;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    /// <summary>Secrets are never written in medic.yaml itself: <c>env:NAME</c> reads them from the environment.</summary>
    private const string FromEnvironment = "env:";

    private static readonly HashSet<string> BuiltInChannels = new(StringComparer.Ordinal) { "log", "slack", "pagerduty" };

    private static KubernetesOptions Kubernetes(KubernetesSection? section) => new()
    {
        Kubeconfig = section?.Kubeconfig,
        Context = section?.Context,
        InCluster = section?.InCluster,
        WatchEvents = section?.WatchEvents ?? true,
    };

    private static HttpActionOptions Http(HttpSection? section, Errors errors)
    {
        var defaults = new HttpActionOptions();
        return new HttpActionOptions
        {
            Allow = section?.Allow ?? [],
            Secrets = (section?.Secrets ?? []).ToDictionary(s => s.Key, s => errors.Secret(s.Value, $"actions.http.secrets.{s.Key}") ?? "", StringComparer.Ordinal),
            MaxResponseBytes = errors.Positive(section?.MaxResponseBytes, "actions.http.max_response_bytes") ?? defaults.MaxResponseBytes,
        };
    }

    private static ShellActionOptions Shell(ShellSection? section, Errors errors)
    {
        var defaults = new ShellActionOptions();
        foreach (var program in (section?.Allow ?? []).Where(p => !Path.IsPathFullyQualified(p)))
        {
            errors.Add("actions.shell.allow", $"'{program}' is not an absolute path; list programs by full path (e.g. /usr/bin/systemctl) so PATH cannot change what runs");
        }

        return new ShellActionOptions
        {
            Allow = section?.Allow ?? [],
            EnvironmentAllow = section?.EnvAllow ?? defaults.EnvironmentAllow,
            WorkingDirectory = section?.WorkingDir,
            MaxOutputBytes = errors.Positive(section?.MaxOutputBytes, "actions.shell.max_output_bytes") ?? defaults.MaxOutputBytes,
        };
    }

    private static AnsibleActionOptions Ansible(AnsibleSection? section)
    {
        var defaults = new AnsibleActionOptions();
        return new AnsibleActionOptions
        {
            Directory = section?.Directory ?? defaults.Directory,
            Program = section?.Program ?? defaults.Program,
            EnvironmentAllow = section?.EnvAllow ?? defaults.EnvironmentAllow,
        };
    }

    private static ActionResilienceOptions Resilience(ResilienceSection? section, Errors errors)
    {
        var defaults = new ActionResilienceOptions();
        if (section?.FailureRatio is < 0 or > 1)
        {
            errors.Add("actions.resilience.failure_ratio", "must be between 0 and 1");
        }

        return new ActionResilienceOptions
        {
            MaxConcurrentPerTarget = errors.Positive(section?.MaxConcurrentPerTarget, "actions.resilience.max_concurrent_per_target") ?? defaults.MaxConcurrentPerTarget,
            QueuePerTarget = section?.QueuePerTarget ?? defaults.QueuePerTarget,
            FailureRatio = section?.FailureRatio ?? defaults.FailureRatio,
            BreakDuration = errors.Duration(section?.BreakDuration, "actions.resilience.break_duration") ?? defaults.BreakDuration,
        };
    }

    private static SlackOptions? Slack(SlackSection? section, Errors errors)
    {
        if (section is null)
        {
            return null;
        }

        if (section.WebhookUrl is null && section.Token is null)
        {
            errors.Add("notifiers.slack", "set webhook_url (an incoming webhook) or token (a bot token, for approval buttons)");
        }

        if (section.Token is not null && section.Channel is null)
        {
            errors.Add("notifiers.slack.channel", "is required with a token: the channel id to post to");
        }

        var options = new SlackOptions
        {
            WebhookUrl = errors.Url(errors.Secret(section.WebhookUrl, "notifiers.slack.webhook_url"), "notifiers.slack.webhook_url"),
            Token = errors.Secret(section.Token, "notifiers.slack.token"),
            Channel = section.Channel,
            SigningSecret = errors.Secret(section.SigningSecret, "notifiers.slack.signing_secret"),
            TeamId = section.TeamId,
            Users = section.Users ?? [],
        };
        options.ApiUrl = errors.Url(section.ApiUrl, "notifiers.slack.api_url") ?? options.ApiUrl;
        return options;
    }

    private static PagerDutyOptions? PagerDuty(PagerDutySection? section, Errors errors)
    {
        if (section is null)
        {
            return null;
        }

        var options = new PagerDutyOptions { RoutingKey = errors.Secret(section.RoutingKey, "notifiers.pagerduty.routing_key") ?? "" };
        if (section.RoutingKey is null)
        {
            errors.Add("notifiers.pagerduty.routing_key", "is required: the integration key of the PagerDuty service (write env:NAME to read it from the environment)");
        }

        options.EventsUrl = errors.Url(section.EventsUrl, "notifiers.pagerduty.events_url") ?? options.EventsUrl;
        return options;
    }

    private static List<WebhookNotifierOptions> Webhooks(List<WebhookSection>? sections, Errors errors)
    {
        var result = new List<WebhookNotifierOptions>();
        foreach (var (section, i) in (sections ?? []).Select((s, i) => (s, i)))
        {
            var field = $"notifiers.webhooks[{i}]";
            if (string.IsNullOrWhiteSpace(section.Name) || BuiltInChannels.Contains(section.Name) || result.Any(w => w.Name == section.Name))
            {
                errors.Add($"{field}.name", $"'{section.Name}' is missing, taken by a built-in channel (log, slack, pagerduty) or used twice; playbooks name the channel by it");
                continue;
            }

            if (section.Url is null)
            {
                errors.Add($"{field}.url", "is required: where to POST");
                continue;
            }

            if (errors.Url(section.Url, $"{field}.url") is not { } url)
            {
                continue;
            }

            result.Add(new WebhookNotifierOptions { Name = section.Name, Url = url, Secret = errors.Secret(section.Secret, $"{field}.secret") });
        }

        return result;
    }

    private sealed partial class Errors
    {
        /// <summary>A secret as written, or read from the environment when written <c>env:NAME</c>.</summary>
        public string? Secret(string? text, string field)
        {
            if (text is null || !text.StartsWith(FromEnvironment, StringComparison.Ordinal))
            {
                return text;
            }

            var name = text[FromEnvironment.Length..];
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                Add(field, $"the environment variable {name} is not set; export it before starting Medic");
            }

            return value;
        }

        public string? Url(string? text, string field)
        {
            if (text is not null && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                Add(field, $"'{text}' is not an http(s) URL");
                return null;
            }

            return text;
        }

        public int? Positive(int? value, string field)
        {
            if (value is <= 0)
            {
                Add(field, $"{value} must be a positive number");
                return null;
            }

            return value;
        }
    }
}
