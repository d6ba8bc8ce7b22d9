using System.Text.Json.Nodes;
using Medic.Core.Workflows;
using Medic.Sim.Faults;

namespace Medic.Sim.Actions;

/// <summary>
/// The <c>sim</c> action: what the simulated estate offers beyond its Kubernetes API, so game days
/// drive faults and out-of-cluster remedies through the same workflow engine as production.
/// Verbs: <c>inject_fault</c> (<c>kind</c>), <c>stop_host_processes</c> (<c>node</c>), and for a
/// <c>service</c>: <c>end_blocking_queries</c> and <c>free_disk</c> (databases), <c>renew_certificate</c>,
/// <c>disable_retries</c> (of its callers).
/// </summary>
public sealed class SimActionProvider(Simulator simulator) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "sim";

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var p = request.Params;
        if (Shape(p).FirstOrDefault() is { } problem)
        {
            return Task.FromResult(ActionResult.Fail(problem));
        }

        return Task.FromResult(p.GetValueOrDefault("verb") switch
        {
            "inject_fault" when p.GetValueOrDefault("kind") is string kind && FaultKinds.All.Contains(kind) => Injected(simulator.Inject(kind)),
            "inject_fault" => ActionResult.Fail($"params.kind: '{p.GetValueOrDefault("kind")}' is not a fault kind; use one of {string.Join(", ", FaultKinds.All)}"),
            "stop_host_processes" when p.GetValueOrDefault("node") is string node && simulator.Estate.Nodes.Any(n => n.Name == node) =>
                ActionResult.Ok(new JsonObject { ["node"] = node, ["stopped"] = simulator.StopHostProcesses(node) }, $"stopped host processes on {node}"),
            "stop_host_processes" => ActionResult.Fail($"params.node: '{p.GetValueOrDefault("node")}' is not a node of the estate"),
            "end_blocking_queries" when p.GetValueOrDefault("service") is string database && simulator.Estate.Services.Any(s => s.Name == database && s.Stateful) =>
                ActionResult.Ok(new JsonObject { ["service"] = database, ["ended"] = simulator.EndBlockingQueries(database) }, $"ended the sessions holding locks in {database}"),
            "end_blocking_queries" => ActionResult.Fail($"params.service: '{p.GetValueOrDefault("service")}' is not a database (a stateful service) of the estate"),
            "free_disk" when p.GetValueOrDefault("service") is string database && simulator.Estate.Services.Any(s => s.Name == database && s.Stateful) =>
                ActionResult.Ok(new JsonObject { ["service"] = database, ["was_filling"] = simulator.FreeDisk(database) }, $"freed space on the volume of {database}"),
            "free_disk" => ActionResult.Fail($"params.service: '{p.GetValueOrDefault("service")}' is not a database (a stateful service) of the estate"),
            "disable_retries" when p.GetValueOrDefault("service") is string caller && simulator.Estate.Services.Any(s => s.Name == caller) =>
                ActionResult.Ok(new JsonObject { ["service"] = caller, ["were_retrying"] = simulator.DisableRetries(caller) }, $"turned off the retries of the callers of {caller}"),
            "renew_certificate" when p.GetValueOrDefault("service") is string service && simulator.Estate.Services.Any(s => s.Name == service) =>
                ActionResult.Ok(new JsonObject { ["service"] = service, ["was_expired"] = simulator.RenewCertificate(service) }, $"issued a new certificate for {service}"),
            _ => ActionResult.Fail($"params.service: '{p.GetValueOrDefault("service")}' is not a service of the estate"),
        });
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters)
    {
        var verb = parameters.GetValueOrDefault("verb") as string;
        if (verb is not ("inject_fault" or "stop_host_processes" or "end_blocking_queries" or "free_disk" or "renew_certificate" or "disable_retries"))
        {
            yield return $"params.verb: '{verb}' is not a sim verb; use inject_fault, stop_host_processes, end_blocking_queries, free_disk, renew_certificate or disable_retries";
        }

        var allowed = verb switch { "inject_fault" => "kind", "stop_host_processes" => "node", _ => "service" };
        if (parameters.Keys.FirstOrDefault(k => k != "verb" && k != allowed) is { } unknown)
        {
            yield return $"params.{unknown}: unknown parameter; sim {verb} takes verb and {allowed}";
        }
    }

    private static ActionResult Injected(InjectedFault fault) =>
        ActionResult.Ok(new JsonObject { ["kind"] = fault.Kind, ["root_cause"] = fault.Truth.Name }, fault.Description);
}
