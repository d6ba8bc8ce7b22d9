using System.Globalization;
using Medic.Core.Signals;

namespace Medic.Core.Rca;

/// <summary>
/// The one sentence an engineer can check instead of gathering the data by hand: what moved first
/// on the suspect and when, the change to it just before, the log template it started writing, and
/// whom it drags along. For example: "service_latency_p99_seconds of service/payment rose to 850 ms
/// at 10:05, 3 minutes after deploy of payment v1.2.3; the top new log template is 'Database connection
/// timeout'; checkout depends on it".
/// </summary>
internal static class DiagnosisStory
{
    /// <summary>Log signals that name a template, most telling first.</summary>
    private static readonly string[] TemplateSignals = ["NewLogTemplate", "LogTemplateSpike"];

    public static string Tell(Candidate suspect)
    {
        if (suspect.Signals.Count == 0)
        {
            return "";
        }

        var first = suspect.Signals.Where(s => s.Source != SignalSources.Logs).MinBy(s => s.ObservedAt) ?? suspect.Signals.MinBy(s => s.ObservedAt)!;
        var story = Opening(first);
        if (suspect.Change is { } change)
        {
            var minutes = Math.Round(Math.Max(0, (first.ObservedAt - change.At).TotalMinutes));
            story += minutes < 1 ? $", within a minute of {change.Description}" : F($", {minutes} minute{(minutes == 1 ? "" : "s")} after {change.Description}");
        }

        var template = TemplateSignals
            .Select(type => suspect.Signals.Where(s => s.Type == type && s.Label("template") is not null).MaxBy(s => s.Score))
            .FirstOrDefault(s => s is not null);
        if (template is not null)
        {
            story += template.Type == "NewLogTemplate"
                ? $"; the top new log template is '{template.Label("template")}'"
                : $"; the log template '{template.Label("template")}' spiked";
        }

        if (suspect.ErrorOrigin is { } errors)
        {
            story += F($"; {errors.Count} of {errors.Total} failed requests start in it");
        }

        if (suspect.Explains.Count > 0)
        {
            var verb = suspect.IsService ? "depend" : "run";
            story += $"; {string.Join(", ", suspect.Explains)} {verb}{(suspect.Explains.Count == 1 ? "s" : "")} on it";
        }

        return story;
    }

    /// <summary>The first sign of trouble, in words: a metric's move, a Kubernetes event, or what the signal says of itself.</summary>
    private static string Opening(Signal signal)
    {
        var at = signal.ObservedAt.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (signal.Source == SignalSources.Metrics && signal.Label("__name__") is { } metric && signal.Value is { } value)
        {
            return $"{metric} of {signal.Entity} {(signal.Direction == "down" ? "fell" : "rose")} to {Humanize.Value(metric, value)} at {at}";
        }

        return signal.Source == SignalSources.Kubernetes
            ? $"Kubernetes reported {signal.Type} on {signal.Entity} at {at}"
            : $"{signal.Summary} (at {at})";
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
