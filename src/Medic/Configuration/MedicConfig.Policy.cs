using System.Globalization;
using Medic.Core.Policy;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    private static PolicyOptions Policy(PolicySection section, Errors errors)
    {
        var defaults = new PolicyOptions();
        var policy = new PolicyOptions
        {
            DefaultLevel = errors.Level(section.DefaultLevel, "policy.default_level") ?? defaults.DefaultLevel,
            MaxLevel = errors.Level(section.MaxLevel, "policy.max_level") ?? defaults.MaxLevel,
            ConfidenceThreshold = section.ConfidenceThreshold ?? defaults.ConfidenceThreshold,
            ApprovalTimeout = errors.Duration(section.ApprovalTimeout, "policy.approval_timeout") ?? defaults.ApprovalTimeout,
            EscalateAfter = errors.Duration(section.EscalateAfter, "policy.escalate_after") ?? defaults.EscalateAfter,
            PageChannel = section.PageChannel ?? defaults.PageChannel,
            DryRun = section.DryRun ?? false,
            Levels = (section.Levels ?? []).Select((l, i) => LevelRule(l, $"policy.levels[{i}]", errors)).ToList(),
            Windows = (section.Windows ?? []).ToDictionary(w => w.Key, w => Window(w.Value, $"policy.windows.{w.Key}", errors), StringComparer.Ordinal),
            L2Windows = section.L2Windows ?? [],
            Risk = section.Risk is null ? defaults.Risk : RiskPolicy(section.Risk, errors),
            BlastRadius = BlastRadius(section.BlastRadius, defaults.BlastRadius),
            Freezes = (section.Freezes ?? []).Select((f, i) => Freeze(f, $"policy.freezes[{i}]", errors)).ToList(),
            Roles = (section.Roles ?? []).ToDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value, StringComparer.Ordinal),
        };
        if (policy.ConfidenceThreshold is < 0 or > 1)
        {
            errors.Add("policy.confidence_threshold", $"{policy.ConfidenceThreshold.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1");
        }

        foreach (var name in policy.L2Windows.Where(n => !policy.Windows.ContainsKey(n)))
        {
            errors.Add("policy.l2_windows", $"no window is named '{name}'; define it under policy.windows");
        }

        return policy;
    }

    private static LevelRule LevelRule(LevelSection section, string field, Errors errors)
    {
        var rule = new LevelRule
        {
            Environment = section.Environment,
            Namespace = section.Namespace,
            Service = section.Service,
            Playbook = section.Playbook,
            Level = errors.Level(section.Level, $"{field}.level"),
            Max = errors.Level(section.Max, $"{field}.max"),
        };
        if (rule.Level is null && rule.Max is null)
        {
            errors.Add(field, "a level rule sets 'level', 'max' or both");
        }

        return rule;
    }

    private static AllowedWindow Window(WindowSection section, string field, Errors errors)
    {
        var window = new AllowedWindow();
        var zone = section.TimeZone ?? window.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add($"{field}.time_zone", $"'{zone}' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York");
        }

        var days = new List<DayOfWeek>();
        foreach (var day in section.Days ?? [])
        {
            if (DayNames.TryGetValue(day.Length >= 3 ? day[..3] : day, out var parsed))
            {
                days.Add(parsed);
            }
            else
            {
                errors.Add($"{field}.days", $"'{day}' is not a day; use mon, tue, wed, thu, fri, sat or sun");
            }
        }

        return window with
        {
            TimeZone = zone,
            Days = section.Days is null ? window.Days : days,
            From = TimeOfDay(section.From, $"{field}.from", errors) ?? window.From,
            To = TimeOfDay(section.To, $"{field}.to", errors) ?? window.To,
            Holidays = (section.Holidays ?? []).Select(h => Date(h, $"{field}.holidays", errors)).OfType<DateOnly>().ToList(),
        };
    }

    private static TimeOnly? TimeOfDay(string? text, string field, Errors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, $"'{text}' is not a time of day; write HH:mm, e.g. 09:00");
        return null;
    }

    private static DateOnly? Date(string text, string field, Errors errors)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, $"'{text}' is not a date; write yyyy-MM-dd");
        return null;
    }

    private static RiskPolicy RiskPolicy(RiskSection section, Errors errors)
    {
        var defaults = new RiskPolicy();
        var actions = new Dictionary<string, Risk>(defaults.Actions, StringComparer.Ordinal);
        foreach (var (action, text) in section.Actions ?? [])
        {
            if (errors.Risk(text, $"policy.risk.actions.{action}") is { } risk)
            {
                actions[action] = risk;
            }
        }

        var perLevel = new Dictionary<AutomationLevel, Risk>(defaults.MaxPerLevel);
        foreach (var (levelText, riskText) in section.MaxPerLevel ?? [])
        {
            if (errors.Level(levelText, $"policy.risk.max_per_level.{levelText}") is { } level && errors.Risk(riskText, $"policy.risk.max_per_level.{levelText}") is { } risk)
            {
                perLevel[level] = risk;
            }
        }

        return new RiskPolicy
        {
            Actions = actions,
            Default = errors.Risk(section.Default, "policy.risk.default") ?? defaults.Default,
            MaxPerLevel = perLevel,
            TwoPersonFrom = errors.Risk(section.TwoPersonFrom, "policy.risk.two_person_from") ?? defaults.TwoPersonFrom,
        };
    }

    private static BlastRadiusLimits BlastRadius(BlastRadiusSection? section, BlastRadiusLimits defaults) => section is null ? defaults : new BlastRadiusLimits
    {
        MaxConcurrentRunsPerService = section.MaxConcurrentRunsPerService ?? defaults.MaxConcurrentRunsPerService,
        MaxConcurrentRunsPerNamespace = section.MaxConcurrentRunsPerNamespace ?? defaults.MaxConcurrentRunsPerNamespace,
        MaxConcurrentRunsPerCluster = section.MaxConcurrentRunsPerCluster ?? defaults.MaxConcurrentRunsPerCluster,
        MaxActionsPerHourPerTarget = section.MaxActionsPerHourPerTarget ?? defaults.MaxActionsPerHourPerTarget,
        MaxActionsPerHourGlobal = section.MaxActionsPerHourGlobal ?? defaults.MaxActionsPerHourGlobal,
        MaxReplicaFraction = section.MaxReplicaFraction ?? defaults.MaxReplicaFraction,
        OneClusterAtATime = section.OneClusterAtATime ?? defaults.OneClusterAtATime,
    };

    private static ChangeFreeze Freeze(FreezeSection section, string field, Errors errors) => new()
    {
        From = errors.Time(section.From, $"{field}.from") ?? DateTimeOffset.MinValue,
        To = errors.Time(section.To, $"{field}.to") ?? DateTimeOffset.MinValue,
        Reason = section.Reason ?? "change freeze",
        Environment = section.Environment,
        Namespace = section.Namespace,
        Service = section.Service,
    };
}
