using System.Text.Json.Nodes;

namespace Medic.Core.Workflows.Kubernetes;

/// <summary>
/// The <c>kubernetes_api_call</c> action: get, list, rollout_restart, scale, rollback, cordon,
/// uncordon, drain, delete_pod and patch, built on <see cref="IKubernetesApi"/> and sending the
/// requests <c>kubectl</c> sends for the same operations. Each mutating verb checks first whether
/// its effect is already there (a restart stamped with this attempt's time, a template already
/// rolled back, a node already cordoned, a pod already gone), so a resumed step never acts twice.
/// </summary>
public sealed partial class KubernetesCallProvider(IKubernetesApi api) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "kubernetes_api_call";

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters) => KubernetesCall.Parse(parameters).Errors;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var (call, errors) = KubernetesCall.Parse(request.Params);
        if (call is null)
        {
            return ActionResult.Fail(string.Join("; ", errors));
        }

        var log = new List<string>();
        try
        {
            var output = call.Verb switch
            {
                "get" => await GetAsync(call, cancellationToken),
                "list" => new JsonObject { ["items"] = new JsonArray([.. (await api.ListAsync(call.Kind, call.Namespace, null, null, cancellationToken)).Select(o => (JsonNode)o.DeepClone())]) },
                "rollout_restart" => await RestartAsync(call, request.RequestedAt, log, cancellationToken),
                "scale" => await ScaleAsync(call, log, cancellationToken),
                "rollback" => await RollbackAsync(call, request.IdempotencyKey, log, cancellationToken),
                "cordon" or "uncordon" => await CordonAsync(call.Name!, call.Verb == "cordon", log, cancellationToken),
                "drain" => await DrainAsync(call.Name!, log, cancellationToken),
                "delete_pod" => await DeletePodAsync(call, log, cancellationToken),
                "patch" => await PatchAsync(call, log, cancellationToken),
                _ => throw new InvalidOperationException($"verb '{call.Verb}' passed validation but has no handler"),
            };
            return ActionResult.Ok(output, log);
        }
        catch (KubernetesActionException e)
        {
            return ActionResult.Fail(e.Message, log);
        }
        catch (KubernetesApiException e)
        {
            var error = $"{call}: the API answered {e.StatusCode}: {e.Message}";
            return e.Retryable ? ActionResult.Transient(error, log) : ActionResult.Fail(error, log);
        }
        catch (HttpRequestException e)
        {
            return ActionResult.Transient($"{call}: cannot reach the API server: {e.Message}", log);
        }
    }

    private async Task<JsonObject> GetAsync(KubernetesCall call, CancellationToken cancellationToken) =>
        await api.GetAsync(call.Kind, call.Namespaced ? call.Namespace : null, call.Name!, cancellationToken)
            ?? throw new KubernetesActionException($"{call.Kind.ToLowerInvariant()} {call.Namespace}/{call.Name} not found");

    private async Task<JsonObject> DeletePodAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        if (await api.GetAsync("Pod", call.Namespace, call.Name!, cancellationToken) is not { } pod)
        {
            log.Add($"pod {call.Namespace}/{call.Name} is already gone");
            return new JsonObject { ["deleted"] = false };
        }

        await api.DeleteAsync("Pod", call.Namespace, call.Name!, cancellationToken);
        log.Add($"deleted pod {call.Namespace}/{call.Name}");
        return pod;
    }

    private async Task<JsonObject> PatchAsync(KubernetesCall call, List<string> log, CancellationToken cancellationToken)
    {
        var result = await api.PatchAsync(call.Kind, call.Namespaced ? call.Namespace : null, call.Name!, call.Patch!, call.PatchType, cancellationToken);
        log.Add($"patched {call.Kind.ToLowerInvariant()} {call.Namespace}/{call.Name} ({call.PatchType} patch)");
        return result;
    }

    /// <summary>A step that cannot succeed as asked (not retryable).</summary>
    private sealed class KubernetesActionException(string message) : Exception(message);
}
