using Medic.Core.Detection;
using Medic.Core.Detection.Multivariate;
using Medic.Core.Detection.Streaming;
using Medic.Core.Telemetry.Storage;

namespace Medic.Configuration;

public static partial class MedicConfig
{
    private static readonly Dictionary<string, DetectionModel> Models = new(StringComparer.Ordinal)
    {
        ["holt_winters"] = DetectionModel.HoltWinters,
        ["arima"] = DetectionModel.Arima,
        ["robust_zscore"] = DetectionModel.RobustZScore,
        ["none"] = DetectionModel.None,
    };

    private static List<MetricGroup> Groups(List<MetricGroupSection>? sections, Errors errors)
    {
        var groups = new List<MetricGroup>();
        foreach (var (section, index) in (sections ?? []).Select((s, i) => (s, i)))
        {
            var field = $"detection.groups[{index}]";
            var name = section.Name ?? $"group {index}";
            IReadOnlyList<LabelMatcher> matchers = [];
            if (string.IsNullOrWhiteSpace(section.Select))
            {
                errors.Add($"{field}.select", "is required: a PromQL selector such as 'http_server_duration:p99{namespace=\"shop\"}'");
            }
            else
            {
                try
                {
                    matchers = LabelMatcher.ParseSelector(section.Select);
                }
                catch (FormatException e)
                {
                    errors.Add($"{field}.select", e.Message);
                }
            }

            var model = DetectionModel.HoltWinters;
            if (section.Model is { } text && !Models.TryGetValue(text, out model))
            {
                errors.Add($"{field}.model", $"'{text}' is not a model; use {string.Join(", ", Models.Keys)}");
            }

            var auto = section.Period == "auto";
            int? period = null;
            if (section.Period is { } periodText && !auto)
            {
                if (int.TryParse(periodText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    period = parsed;
                }
                else
                {
                    errors.Add($"{field}.period", $"'{periodText}' is not a number of values or auto");
                }
            }

            var defaults = new StreamingOptions();
            var streaming = new StreamingOptions
            {
                Period = Check(period, 1, "period", "values in one season (288 for a day at 5 minutes), at least 1, or auto") ?? defaults.Period,
                Sensitivity = section.Sensitivity is { } s and (<= 0 or double.NaN) ? Invalid(defaults.Sensitivity, "sensitivity", "must be above 0 (robust standard deviations; 4 is the default)") : section.Sensitivity ?? defaults.Sensitivity,
                MinimumDuration = Check(section.MinDuration, 1, "min_duration", "abnormal values before a signal opens, at least 1") ?? defaults.MinimumDuration,
                RecoveryDuration = Check(section.Recovery, 1, "recovery", "normal values in a row that close a signal, at least 1") ?? defaults.RecoveryDuration,
            };
            ArimaOrder? arima = null;
            if (section.Order is { } order)
            {
                if (order.Count != 3 || order.Any(o => o < 0) || order[0] + order[2] > 10 || order[1] > 2)
                {
                    errors.Add($"{field}.order", "is [p, d, q]: autoregressive and moving-average orders (together at most 10) and differences (at most 2)");
                }
                else
                {
                    var seasonal = section.SeasonalDifferences ?? (streaming.Period > 1 ? 1 : 0);
                    arima = new ArimaOrder(order[0], order[1], order[2], seasonal, seasonal > 0 ? streaming.Period : 0);
                }
            }

            if (section.SeasonalDifferences is { } differences && (differences is < 0 or > 1 || (differences > 0 && streaming.Period < 2)))
            {
                errors.Add($"{field}.seasonal_differences", "is 0 or 1, and 1 needs a period of at least 2");
            }

            if (auto && model == DetectionModel.Arima && section.SeasonalDifferences is > 0)
            {
                errors.Add($"{field}.period", "auto is for holt_winters groups; an ARIMA group with seasonal differences needs its period");
            }

            groups.Add(new MetricGroup(name, matchers, model, streaming) { Arima = arima, AutoPeriod = auto });

            int? Check(int? value, int minimum, string key, string what)
            {
                if (value < minimum)
                {
                    errors.Add($"{field}.{key}", $"{value} is too small: {what}");
                    return null;
                }

                return value;
            }

            double Invalid(double fallback, string key, string problem)
            {
                errors.Add($"{field}.{key}", problem);
                return fallback;
            }
        }

        return groups;
    }

    private static MultivariateOptions? Multivariate(MultivariateSection? section, Errors errors)
    {
        if (section is null)
        {
            return null;
        }

        if (section.Metrics is not { Count: >= 2 } metrics || metrics.Distinct(StringComparer.Ordinal).Count() != metrics.Count)
        {
            errors.Add("detection.multivariate.metrics", "needs two or more different metric names, judged together per service");
            return null;
        }

        var defaults = new MultivariateOptions(metrics);
        if (section.Threshold is { } threshold and (<= 0.5 or >= 1 or double.NaN))
        {
            errors.Add("detection.multivariate.threshold", $"{threshold} is outside (0.5, 1): isolation scores are about 0.5 for ordinary points; 0.65 is rare");
        }

        if (section.MinDuration is < 1)
        {
            errors.Add("detection.multivariate.min_duration", "is at least 1");
        }

        return defaults with { Threshold = section.Threshold ?? defaults.Threshold, MinimumDuration = section.MinDuration ?? defaults.MinimumDuration };
    }
}
