using System.Text.Json;
using Medic.Core.Audit;
using Medic.Core.Json;
using Medic.Core.Storage;

namespace Medic.Core.Policy;

/// <summary>The global kill switch, persisted so that it survives a restart, and audited.</summary>
public sealed class KillSwitch(ISettingsStore settings, IAuditLog audit, TimeProvider clock) : IDisposable
{
    private const string Key = "killswitch";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private KillSwitchState? _cached;

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <summary>The current state.</summary>
    public async Task<KillSwitchState> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached)
        {
            return cached;
        }

        var json = await settings.GetAsync(Key, cancellationToken);
        return _cached = json is null
            ? new KillSwitchState(false, null, null, null)
            : JsonSerializer.Deserialize<KillSwitchState>(json, MedicJson.Options)!;
    }

    /// <summary>Turns the switch on or off; recorded in the audit log.</summary>
    public async Task<KillSwitchState> SetAsync(bool engaged, string by, string? reason, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var state = new KillSwitchState(engaged, by, reason, clock.GetUtcNow());
            await settings.SetAsync(Key, JsonSerializer.Serialize(state, MedicJson.Options), cancellationToken);
            _cached = state;
            await audit.AppendAsync(by, engaged ? "killswitch.engaged" : "killswitch.released", Key, state, cancellationToken);
            return state;
        }
        finally
        {
            _lock.Release();
        }
    }
}
