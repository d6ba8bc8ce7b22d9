using Medic.Core.Learning.Drift;

namespace Medic.Core.Learning;

/// <summary>Refits the detectors' models that have a training window, from the history since a time: the detection stage.</summary>
public interface IDetectorTrainer
{
    /// <summary>Refits, validates and perhaps swaps each model; returns a version for each refit.</summary>
    Task<IReadOnlyList<ModelVersion>> RetrainAsync(DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary>Whether a refit asked for waits for time to move on (the detection stage's next tick).</summary>
    bool RetrainWaiting { get; }
}
