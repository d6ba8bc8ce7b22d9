using Medic.Core.Workflows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medic.Adapters.Hosting;

/// <summary>On start, hands the runs left in flight by the previous process to the executor.</summary>
public sealed partial class RunRecoveryService(RunRecovery recovery, ILogger<RunRecoveryService> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var runs = await recovery.RecoverAsync(cancellationToken);
        if (runs.Count > 0)
        {
            LogRecovered(runs.Count, string.Join(", ", runs));
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} run(s) were in flight when Medic last stopped: {Runs}; resuming the safe ones, interrupting the rest")]
    private partial void LogRecovered(int count, string runs);
}
