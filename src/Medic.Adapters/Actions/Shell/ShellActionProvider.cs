using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Core.Workflows;

namespace Medic.Adapters.Actions.Shell;

/// <summary>
/// The <c>shell</c> action: runs an allowed program with an argument vector. There is no shell:
/// each rendered value is one argument, so <c>; rm -rf /</c> or <c>$(...)</c> in a template value
/// stays a literal string. The environment holds only the allowed variables, the step's own
/// allowed variables and <c>MEDIC_IDEMPOTENCY_KEY</c>; output is capped; cancellation kills the tree.
/// </summary>
public sealed class ShellActionProvider(ShellActionOptions options) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "shell";

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request.Params) is { } problem)
        {
            return ActionResult.Fail(problem);
        }

        var command = ((IEnumerable<object?>)request.Params["command"]!).Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").ToList();
        var environment = options.EnvironmentAllow
            .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(v => v.value is not null)
            .ToDictionary(v => v.name, v => v.value!, StringComparer.Ordinal);
        foreach (var (name, value) in request.Params.GetValueOrDefault("env") as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>())
        {
            environment[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        environment["MEDIC_IDEMPOTENCY_KEY"] = request.IdempotencyKey;
        var directory = request.Params.GetValueOrDefault("working_dir") is string dir ? Path.GetFullPath(dir, options.WorkingDirectory!) : options.WorkingDirectory;
        ProcessRunner.Result result;
        try
        {
            result = await ProcessRunner.RunAsync(command[0], command.Skip(1), directory, environment, options.MaxOutputBytes, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return ActionResult.Fail($"cannot run {command[0]} in {directory ?? "the current directory"}: {e.Message}");
        }

        var output = new JsonObject { ["exit_code"] = result.ExitCode, ["stdout"] = result.Output, ["stderr"] = result.Errors, ["truncated"] = result.Truncated };
        var summary = $"{command[0]} exited with {result.ExitCode}";
        return result.ExitCode == 0
            ? ActionResult.Ok(output, summary)
            : new ActionResult(false, output, $"{summary}: {Last(result.Errors.Length > 0 ? result.Errors : result.Output)}", false, [summary]);
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters)
    {
        if (parameters.Keys.Except(["command", "env", "working_dir"]).FirstOrDefault() is { } unknown)
        {
            yield return $"params.{unknown}: unknown parameter; shell takes command, env and working_dir";
        }

        if (parameters.GetValueOrDefault("command") is not IReadOnlyList<object?> { Count: > 0 } command || command.Any(a => a is not (string or decimal or double or bool)))
        {
            yield return "params.command: a list of arguments is required, the program first, e.g. [/usr/bin/systemctl, restart, nginx]; a single command string is refused because it would need a shell";
        }

        if (parameters.GetValueOrDefault("env") is { } env and not IReadOnlyDictionary<string, object?>)
        {
            yield return "params.env: a mapping of variable names to values";
        }
    }

    private string? Validate(IReadOnlyDictionary<string, object?> parameters)
    {
        if (Shape(parameters).FirstOrDefault() is { } problem)
        {
            return problem;
        }

        if (options.Allow.Count == 0)
        {
            return "shell actions are off: list the programs they may run in actions.shell.allow in medic.yaml";
        }

        var program = ((IReadOnlyList<object?>)parameters["command"]!)[0] as string ?? "";
        if (!options.Allow.Contains(program, StringComparer.Ordinal))
        {
            return $"params.command: '{program}' is not an allowed program; allowed: {string.Join(", ", options.Allow)}";
        }

        if (parameters.GetValueOrDefault("env") is IReadOnlyDictionary<string, object?> variables
            && variables.Keys.FirstOrDefault(n => !options.EnvironmentAllow.Contains(n, StringComparer.Ordinal) || n == "PATH") is { } name)
        {
            return name == "PATH"
                ? "params.env: PATH comes from Medic's own environment; a step may not change where programs are found"
                : $"params.env: '{name}' is not an allowed variable; allowed: {string.Join(", ", options.EnvironmentAllow)}";
        }

        if (parameters.GetValueOrDefault("working_dir") is string dir)
        {
            if (options.WorkingDirectory is not { } root)
            {
                return "params.working_dir: set actions.shell.working_dir in medic.yaml first; steps may only choose directories inside it";
            }

            var full = Path.GetFullPath(dir, root);
            if (full != Path.GetFullPath(root) && !full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return $"params.working_dir: '{dir}' is outside {root}";
            }
        }

        return null;
    }

    private static string Last(string text)
    {
        var line = text.TrimEnd().Split('\n').LastOrDefault() ?? "";
        return line.Length > 300 ? line[^300..] : line;
    }
}
