namespace Medic.Core.Decisions;

/// <summary>Looks up what is known of a service (tags, workload kind) for playbook conditions.</summary>
public interface IServiceCatalog
{
    /// <summary>The service's information, or null when it is unknown.</summary>
    Task<ServiceInfo?> GetAsync(string service, CancellationToken cancellationToken);
}
