using Medic.Core.Learning;
using Microsoft.Extensions.Hosting;

namespace Medic.Adapters.Hosting;

/// <summary>On start, before any diagnosis, puts back the RCA confidence calibration that last took over.</summary>
public sealed class CalibrationRestoreService(TrainingJob training) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => training.RestoreAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
