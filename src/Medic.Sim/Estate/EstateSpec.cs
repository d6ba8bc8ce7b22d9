namespace Medic.Sim.Estate;

/// <summary>A simulated estate: services, their call graph, and the nodes they run on.</summary>
public sealed record EstateSpec(
    string Namespace,
    IReadOnlyList<ServiceSpec> Services,
    IReadOnlyList<CallSpec> Calls,
    IReadOnlyList<NodeSpec> Nodes,
    string EntryService,
    double PeakRequestsPerSecond)
{
    /// <summary>The service with this name.</summary>
    public ServiceSpec Service(string name) => Services.First(s => s.Name == name);

    /// <summary>Services ordered so that every service comes after all the services it calls.</summary>
    public IReadOnlyList<ServiceSpec> CalleesFirst()
    {
        var order = new List<ServiceSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string name)
        {
            if (!seen.Add(name))
            {
                return;
            }

            foreach (var call in Calls.Where(c => c.From == name))
            {
                Visit(call.To);
            }

            order.Add(Service(name));
        }

        foreach (var service in Services)
        {
            Visit(service.Name);
        }

        return order;
    }
}
