using Medic.Core.Bus;
using Medic.Core.Rca;
using Medic.Core.Stages;
using Medic.Core.Telemetry;
using Medic.Core.Verification;

namespace Medic.Web;

/// <summary>The last ninety minutes of the series the console charts (those diagnosis and verification look at), as samples arrive: enough for an incident and the half hour before it.</summary>
internal sealed class ConsoleSeries(DiagnosisOptions diagnosis, VerificationOptions verification) : IStage
{
    /// <summary>The kept series.</summary>
    public RecentSamples Recent { get; } = new([.. diagnosis.DeepMetrics.Union(verification.SloMetrics), "node_tcp_retransmit_segments_rate", "db_client_connections_in_use"], TimeSpan.FromMinutes(90));

    /// <inheritdoc />
    public string Name => "console-series";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(SampleBatch)];

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is SampleBatch batch)
        {
            Recent.Record(batch);
        }

        return ValueTask.CompletedTask;
    }
}
