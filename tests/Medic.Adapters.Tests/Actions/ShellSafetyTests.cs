using Medic.Adapters.Actions.Shell;
using Medic.Core.Playbooks;
using Medic.Core.Workflows;
using Medic.Testing;

namespace Medic.Adapters.Tests.Actions;

/// <summary>
/// The shell action against hostile template values: whatever an alert, a label or a log line puts
/// into a template, it reaches the program as one literal argument and never as shell syntax.
/// </summary>
public sealed class ShellSafetyTests : IDisposable
{
    private const string Printf = "/usr/bin/printf";
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> HostileValues => new()
    {
        "; rm -rf /",
        "$(touch MARKER)",
        "`touch MARKER`",
        "x\ntouch MARKER",
        "x && touch MARKER",
        "x | tee MARKER",
        "> MARKER",
        "${IFS}touch${IFS}MARKER",
        "'; touch MARKER; echo '",
        "\"; touch MARKER; echo \"",
        "-rf",
    };

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task A_hostile_template_value_stays_one_literal_argument(string hostile)
    {
        var value = hostile.Replace("MARKER", _dir.File("pwned"), StringComparison.Ordinal);
        var rendered = TemplateRenderer.RenderTree(
            new Dictionary<string, object?> { ["command"] = new List<object?> { Printf, "[%s]", "{{ anomaly.message }}" } },
            new Dictionary<string, object?> { ["anomaly"] = new Dictionary<string, object?> { ["message"] = value } });

        var result = await Provider().ExecuteAsync(Request((IReadOnlyDictionary<string, object?>)rendered!), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal($"[{value}]", result.Output!["stdout"]!.GetValue<string>());
        Assert.False(File.Exists(_dir.File("pwned")), "the hostile value ran as a command");
    }

    [Fact]
    public async Task A_program_that_is_not_allowed_is_refused_without_running()
    {
        var result = await Provider().ExecuteAsync(Request(Params(["/bin/sh", "-c", $"touch {_dir.File("pwned")}"])), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal("params.command: '/bin/sh' is not an allowed program; allowed: /usr/bin/printf, /usr/bin/env, /usr/bin/seq", result.Error);
        Assert.False(File.Exists(_dir.File("pwned")));
    }

    [Fact]
    public async Task A_command_line_string_is_refused_because_it_would_need_a_shell()
    {
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?> { ["command"] = $"{Printf} hello" }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("params.command: a list of arguments is required", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_sees_only_allowed_variables_and_the_idempotency_key()
    {
        Environment.SetEnvironmentVariable("MEDIC_TEST_SECRET", "hunter2");
        var result = await Provider().ExecuteAsync(Request(Params(["/usr/bin/env"])), CancellationToken.None);

        var variables = result.Output!["stdout"]!.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).ToHashSet();
        Assert.DoesNotContain("MEDIC_TEST_SECRET", variables);
        Assert.Contains("MEDIC_IDEMPOTENCY_KEY", variables);
        Assert.Subset(new HashSet<string> { "PATH", "HOME", "LANG", "MEDIC_IDEMPOTENCY_KEY" }, variables);
    }

    [Fact]
    public async Task A_step_may_not_set_a_variable_outside_the_allow_list()
    {
        var parameters = Params(["/usr/bin/env"]);
        parameters["env"] = new Dictionary<string, object?> { ["LD_PRELOAD"] = "/tmp/evil.so" };

        var result = await Provider().ExecuteAsync(Request(parameters), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("params.env: 'LD_PRELOAD' is not an allowed variable; allowed: PATH, HOME, LANG", result.Error);
    }

    [Fact]
    public async Task A_step_may_not_change_where_programs_are_found()
    {
        var parameters = Params(["/usr/bin/env"]);
        parameters["env"] = new Dictionary<string, object?> { ["PATH"] = "/tmp/evil" };

        var result = await Provider().ExecuteAsync(Request(parameters), CancellationToken.None);

        Assert.Equal("params.env: PATH comes from Medic's own environment; a step may not change where programs are found", result.Error);
    }

    [Fact]
    public async Task A_working_directory_outside_the_configured_one_is_refused()
    {
        var parameters = Params([Printf, "x"]);
        parameters["working_dir"] = _dir.File("../..");

        var result = await Provider().ExecuteAsync(Request(parameters), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("is outside", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_cut_and_marked_truncated()
    {
        var result = await Provider().ExecuteAsync(Request(Params(["/usr/bin/seq", "1", "200000"])), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Output!["truncated"]!.GetValue<bool>());
        Assert.True(result.Output!["stdout"]!.GetValue<string>().Length <= 4096);
    }

    private ShellActionProvider Provider() => new(new ShellActionOptions
    {
        Allow = [Printf, "/usr/bin/env", "/usr/bin/seq"],
        WorkingDirectory = _dir.Path,
        MaxOutputBytes = 4096,
    });

    private static Dictionary<string, object?> Params(List<object?> command) => new() { ["command"] = command };

    private static ActionRequest Request(IReadOnlyDictionary<string, object?> parameters) => new("run1", "step", "run1:step:1", parameters);
}
