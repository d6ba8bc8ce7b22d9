using System.Text.Json.Nodes;
using Medic.Core.Workflows;

namespace Medic.Core.Tests.Support;

/// <summary>An action provider that answers from a script and records every request.</summary>
internal sealed class ScriptedProvider(string type, Func<ActionRequest, ActionResult>? answer = null) : IActionProvider
{
    public string Type => type;

    public List<ActionRequest> Requests { get; } = [];

    public Action? OnCall { get; set; }

    public Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        OnCall?.Invoke();
        return Task.FromResult(answer?.Invoke(request) ?? ActionResult.Ok(new JsonObject { ["echo"] = request.Params["value"]?.ToString() }, $"did {request.Step}"));
    }
}
