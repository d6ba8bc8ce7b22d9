using Medic.Core.Incidents;
using Medic.Core.Incidents.Silences;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    private static CorrelationOptions Correlation(CorrelationSection? section, Errors errors)
    {
        var options = new CorrelationOptions();
        if (section is null)
        {
            return options;
        }

        options.Window = Positive(errors.Duration(section.Window, "correlation.window"), "correlation.window", errors) ?? options.Window;
        options.GroupWait = errors.Duration(section.GroupWait, "correlation.group_wait") ?? options.GroupWait;
        options.GroupInterval = errors.Duration(section.GroupInterval, "correlation.group_interval") ?? options.GroupInterval;
        options.SettleWindow = errors.Duration(section.SettleWindow, "correlation.settle_window") ?? options.SettleWindow;
        options.GroupBy = LabelNames(section.GroupBy, "correlation.group_by", errors) ?? options.GroupBy;
        options.MatchLabels = LabelNames(section.MatchLabels, "correlation.match_labels", errors) ?? options.MatchLabels;
        if (section.SymptomDepth is { } depth)
        {
            if (depth is < 0 or > 10)
            {
                errors.Add("correlation.symptom_depth", $"{depth} is out of range; write 0 (no inhibition along calls) to 10");
            }
            else
            {
                options.SymptomDepth = depth;
            }
        }

        return options;
    }

    private static TimeSpan? Positive(TimeSpan? value, string field, Errors errors)
    {
        if (value is { } span && span <= TimeSpan.Zero)
        {
            errors.Add(field, "must be longer than zero");
            return null;
        }

        return value;
    }

    private static List<string>? LabelNames(List<string>? names, string field, Errors errors)
    {
        foreach (var name in names ?? [])
        {
            if (!LabelMatcher.IsLabelName(name))
            {
                errors.Add(field, $"'{name}' is not a label name (letters, digits and _, not starting with a digit)");
            }
        }

        return names;
    }
}
