using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Medic.Core.Json;
using Medic.Core.Workflows;

namespace Medic.Adapters.Actions.Ansible;

/// <summary>
/// The <c>ansible</c> action: runs <c>ansible-playbook</c> on a playbook inside the configured
/// directory, with the inventory (a file there, or a list of hosts) and the extra variables passed
/// as a JSON file, never on a command line. The output is captured, the PLAY RECAP read per host,
/// and the exit status honoured: 4 (hosts unreachable) may pass if retried, anything else may not.
/// </summary>
public sealed partial class AnsibleActionProvider(AnsibleActionOptions options) : IActionProvider
{
    /// <summary>The action type.</summary>
    public const string ActionType = "ansible";

    /// <inheritdoc />
    public string Type => ActionType;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Directory);
        if (Validate(request.Params, root, out var playbook, out var inventory) is { } problem)
        {
            return ActionResult.Fail(problem);
        }

        var work = Directory.CreateTempSubdirectory("medic-ansible-");
        try
        {
            var variables = PlainTree.ToJson(request.Params.GetValueOrDefault("extra_vars")) as JsonObject ?? [];
            variables["medic_idempotency_key"] = request.IdempotencyKey;
            var varsFile = Path.Combine(work.FullName, "extra-vars.json");
            await File.WriteAllTextAsync(varsFile, variables.ToJsonString(), cancellationToken);
            if (inventory is null)
            {
                inventory = Path.Combine(work.FullName, "inventory.ini");
                await File.WriteAllLinesAsync(inventory, ((IEnumerable<object?>)request.Params["hosts"]!).Select(h => Convert.ToString(h, CultureInfo.InvariantCulture)!), cancellationToken);
            }

            var arguments = new List<string> { "-i", inventory, playbook!, "-e", $"@{varsFile}" };
            if (request.Params.GetValueOrDefault("limit") is string limit)
            {
                arguments.AddRange(["--limit", limit]);
            }

            if (request.Params.GetValueOrDefault("tags") is string tags)
            {
                arguments.AddRange(["--tags", tags]);
            }

            if (request.Params.GetValueOrDefault("check") is "true" or true)
            {
                arguments.Add("--check");
            }

            var environment = options.EnvironmentAllow
                .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
                .Where(v => v.value is not null)
                .ToDictionary(v => v.name, v => v.value!, StringComparer.Ordinal);
            environment["ANSIBLE_NOCOLOR"] = "1";
            environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
            environment["ANSIBLE_LOCAL_TEMP"] = Path.Combine(work.FullName, "tmp");
            var result = await ProcessRunner.RunAsync(options.Program, arguments, root, environment, options.MaxOutputBytes, cancellationToken);
            var output = new JsonObject { ["exit_code"] = result.ExitCode, ["recap"] = Recap(result.Output), ["stdout"] = result.Output, ["stderr"] = result.Errors };
            var summary = $"ansible-playbook {Path.GetRelativePath(root, playbook!)} exited with {result.ExitCode}";
            return result.ExitCode switch
            {
                0 => ActionResult.Ok(output, summary),
                4 => new ActionResult(false, output, $"{summary}: hosts unreachable", true, [summary]),
                2 => new ActionResult(false, output, $"{summary}: tasks failed", false, [summary]),
                _ => new ActionResult(false, output, $"{summary}: {result.Errors.Trim().Split('\n').LastOrDefault()}", false, [summary]),
            };
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return ActionResult.Fail($"cannot run {options.Program}: {e.Message}; install Ansible or set actions.ansible.program");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => Shape(parameters);

    /// <summary>The shape of the parameters (see <see cref="ParameterCheck"/>).</summary>
    public static IEnumerable<string> Shape(IReadOnlyDictionary<string, object?> parameters)
    {
        if (parameters.Keys.Except(["playbook", "inventory", "hosts", "extra_vars", "limit", "tags", "check"]).FirstOrDefault() is { } unknown)
        {
            yield return $"params.{unknown}: unknown parameter; ansible takes playbook, inventory or hosts, extra_vars, limit, tags and check";
        }

        if (parameters.GetValueOrDefault("playbook") is not string)
        {
            yield return "params.playbook: required: a playbook file inside actions.ansible.directory";
        }

        if (parameters.GetValueOrDefault("inventory") is not string
            && (parameters.GetValueOrDefault("hosts") is not IReadOnlyList<object?> { Count: > 0 } hosts || hosts.Any(h => h is not string s || !HostName().IsMatch(s))))
        {
            yield return "params.hosts: give an inventory file (inventory) or a list of host names or addresses (hosts); inventory variables are refused in hosts";
        }

        if (parameters.GetValueOrDefault("extra_vars") is { } vars and not IReadOnlyDictionary<string, object?>)
        {
            yield return "params.extra_vars: a mapping of variable names to values";
        }
        else if (Strings(parameters.GetValueOrDefault("extra_vars")).FirstOrDefault(v => v.Contains("{{", StringComparison.Ordinal) || v.Contains("{%", StringComparison.Ordinal) || v.Contains("{#", StringComparison.Ordinal)) is { } jinja)
        {
            // Ansible would evaluate it as a Jinja template: text from an alert must not become code on the control node.
            yield return $"params.extra_vars: '{jinja}' holds Jinja syntax, which Ansible would evaluate; refused";
        }
    }

    private static string? Validate(IReadOnlyDictionary<string, object?> parameters, string root, out string? playbook, out string? inventory)
    {
        playbook = null;
        inventory = null;
        if (Shape(parameters).FirstOrDefault() is { } problem)
        {
            return problem;
        }

        var name = (string)parameters["playbook"]!;
        if (Inside(root, name) is not { } path || !File.Exists(path))
        {
            return $"params.playbook: '{name}' is not a playbook file inside {root}";
        }

        playbook = path;
        if (parameters.GetValueOrDefault("inventory") is string inv)
        {
            inventory = Inside(root, inv);
            if (inventory is null || !File.Exists(inventory))
            {
                return $"params.inventory: '{inv}' is not an inventory file inside {root}";
            }
        }

        return null;
    }

    /// <summary>The full path of <paramref name="relative"/> when it stays inside <paramref name="root"/>.</summary>
    private static string? Inside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The PLAY RECAP, per host: ok, changed, unreachable, failed, skipped.</summary>
    private static JsonObject Recap(string output)
    {
        var recap = new JsonObject();
        foreach (Match line in RecapLine().Matches(output))
        {
            var counts = new JsonObject();
            foreach (Match pair in RecapPair().Matches(line.Groups["counts"].Value))
            {
                counts[pair.Groups["name"].Value] = int.Parse(pair.Groups["value"].Value, CultureInfo.InvariantCulture);
            }

            recap[line.Groups["host"].Value] = counts;
        }

        return recap;
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string text => [text],
        IReadOnlyDictionary<string, object?> map => map.Values.SelectMany(Strings),
        IReadOnlyList<object?> list => list.SelectMany(Strings),
        _ => [],
    };

    /// <summary>A host name, an IPv4 address or an IPv6 address, nothing that could carry inventory variables.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.\-:\[\]]*$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^(?<host>\S+)\s+:\s+(?<counts>ok=\d+.*)$", RegexOptions.Multiline)]
    private static partial Regex RecapLine();

    [GeneratedRegex(@"(?<name>\w+)=(?<value>\d+)")]
    private static partial Regex RecapPair();
}
