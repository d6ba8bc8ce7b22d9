namespace Medic.Core.Storage;

/// <summary>The metric detectors' learnt state (windows, models, open signals), so a restart does not relearn every series.</summary>
public interface IDetectorStateStore
{
    /// <summary>The last saved state, or null.</summary>
    Task<byte[]?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the state, replacing the last.</summary>
    Task SaveAsync(byte[] state, CancellationToken cancellationToken);
}
