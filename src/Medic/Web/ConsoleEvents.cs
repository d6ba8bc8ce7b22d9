using System.Threading.Channels;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Rca;
using Medic.Core.Stages;
using Medic.Core.Verification;
using Medic.Core.Workflows;

namespace Medic.Web;

/// <summary>
/// What the console's open pages hear about, as it happens: the id of each incident that changed
/// (opened, diagnosed, decided, acted on, verified). Each page gets its own small queue; a page that
/// does not keep up loses the oldest notices, not the server's memory (it reloads what it shows anyway).
/// </summary>
internal sealed class ConsoleEvents : IStage
{
    private const int QueuePerPage = 64;
    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _pages = [];

    /// <inheritdoc />
    public string Name => "console";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } =
        [typeof(IncidentChanged), typeof(IncidentStateChanged), typeof(DiagnosisReady), typeof(DecisionMade), typeof(RunFinished), typeof(VerificationFinished)];

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        var incident = message switch
        {
            IncidentChanged m => m.IncidentId,
            IncidentStateChanged m => m.IncidentId,
            DiagnosisReady m => m.IncidentId,
            DecisionMade m => m.Decision.IncidentId,
            RunFinished m => m.Run.IncidentId,
            VerificationFinished m => m.Outcome.IncidentId,
            _ => null,
        };
        if (incident is not null)
        {
            lock (_gate)
            {
                foreach (var page in _pages)
                {
                    page.Writer.TryWrite(incident);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A queue of changed incidents' ids for one open page, until <paramref name="cancellationToken"/> (the page closing).</summary>
    public ChannelReader<string> Listen(CancellationToken cancellationToken)
    {
        var page = Channel.CreateBounded<string>(new BoundedChannelOptions(QueuePerPage) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _pages.Add(page);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _pages.Remove(page);
            }

            page.Writer.TryComplete();
        });
        return page.Reader;
    }
}
