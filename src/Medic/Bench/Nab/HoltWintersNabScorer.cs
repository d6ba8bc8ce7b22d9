using Medic.Core.Detection;
using Medic.Core.Detection.Models;
using Medic.Core.Detection.Streaming;

namespace Medic.Bench.Nab;

/// <summary>
/// The streaming Holt-Winters detector as a NAB detector, for comparison with the default: the
/// probation's values choose the season (as <c>period: auto</c> does) and warm the model up; a
/// value that opens a signal scores the detector's score, the others 0, as Medic raises signals.
/// </summary>
internal sealed class HoltWintersNabScorer(NabFile file) : IAnomalyScorer
{
    private readonly List<double> _probation = [];
    private HoltWintersDetector? _detector;

    public double Observe(double value)
    {
        if (_detector is null)
        {
            _probation.Add(value);
            if (_probation.Count < Math.Max(file.Probation, 20))
            {
                return 0;
            }

            var steps = file.Timestamps.Zip(file.Timestamps.Skip(1), (a, b) => (b - a).TotalSeconds).Order().ToList();
            var period = Math.Max(1, PeriodFinder.Best([.. _probation], PeriodFinder.NaturalCandidates(steps[steps.Count / 2])));
            _detector = new HoltWintersDetector(new StreamingOptions { Period = period });
            _detector.Add();
            foreach (var v in _probation)
            {
                _detector.Observe(0, v);
            }

            return 0;
        }

        // As Medic raises signals: a score when one opens, nothing for the rest of the run.
        var verdict = _detector.Observe(0, value);
        return verdict.Change == SignalChange.Opened ? verdict.Score : 0;
    }
}
