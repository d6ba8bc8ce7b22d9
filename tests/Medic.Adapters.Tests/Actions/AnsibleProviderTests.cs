using Medic.Adapters.Actions.Ansible;
using Medic.Core.Workflows;
using Medic.Testing;

namespace Medic.Adapters.Tests.Actions;

/// <summary>The ansible action with Debian's real <c>ansible-playbook</c> against localhost (connection local).</summary>
public sealed class AnsibleProviderTests : IDisposable
{
    private const string Inventory = "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n";
    private readonly TempDirectory _dir = new();

    public AnsibleProviderTests()
    {
        File.WriteAllText(_dir.File("inventory.ini"), Inventory);
        File.WriteAllText(_dir.File("restart.yml"), """
            - hosts: all
              gather_facts: false
              tasks:
                - name: record the restart
                  ansible.builtin.copy:
                    dest: "{{ marker }}"
                    content: "{{ service }} {{ medic_idempotency_key }}\n"
            """);
        File.WriteAllText(_dir.File("broken.yml"), """
            - hosts: all
              gather_facts: false
              tasks:
                - name: give up
                  ansible.builtin.fail:
                    msg: the service would not come back
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_playbook_runs_with_its_extra_variables_from_a_file_and_its_recap_is_read()
    {
        var marker = _dir.File("restarted.txt");
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?>
        {
            ["playbook"] = "restart.yml",
            ["inventory"] = "inventory.ini",
            ["extra_vars"] = new Dictionary<string, object?> { ["marker"] = marker, ["service"] = "cart; touch /tmp/pwned $(id)" },
        }), CancellationToken.None);

        Assert.True(result.Succeeded, $"{result.Error}\n{result.Output?["stdout"]}\n{result.Output?["stderr"]}");
        Assert.Equal("cart; touch /tmp/pwned $(id) run1:restart:1\n", await File.ReadAllTextAsync(marker));
        Assert.Equal(1, result.Output!["recap"]!["localhost"]!["ok"]!.GetValue<int>());
        Assert.Equal(1, result.Output!["recap"]!["localhost"]!["changed"]!.GetValue<int>());
        Assert.Equal(["ansible-playbook restart.yml exited with 0"], result.Log);
    }

    [Fact]
    public async Task A_failing_playbook_fails_the_step_with_its_exit_status_and_is_not_retried()
    {
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?>
        {
            ["playbook"] = "broken.yml",
            ["inventory"] = "inventory.ini",
        }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal(2, result.Output!["exit_code"]!.GetValue<int>());
        Assert.Equal("ansible-playbook broken.yml exited with 2: tasks failed", result.Error);
        Assert.Contains("the service would not come back", result.Output!["stdout"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, result.Output!["recap"]!["localhost"]!["failed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_check_run_changes_nothing()
    {
        var marker = _dir.File("checked.txt");
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?>
        {
            ["playbook"] = "restart.yml",
            ["inventory"] = "inventory.ini",
            ["check"] = true,
            ["extra_vars"] = new Dictionary<string, object?> { ["marker"] = marker, ["service"] = "cart" },
        }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("../restart.yml")]
    [InlineData("/etc/ansible/site.yml")]
    [InlineData("missing.yml")]
    public async Task A_playbook_outside_the_configured_directory_is_refused(string playbook)
    {
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?> { ["playbook"] = playbook, ["inventory"] = "inventory.ini" }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"params.playbook: '{playbook}' is not a playbook file inside", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web-1 ansible_connection=local")]
    [InlineData("web-1 ansible_ssh_common_args='-o ProxyCommand=touch /tmp/pwned'")]
    [InlineData("web-1\nevil ansible_connection=local")]
    public async Task A_host_that_carries_inventory_variables_is_refused(string host)
    {
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?> { ["playbook"] = "restart.yml", ["hosts"] = new List<object?> { "web-0", host } }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("params.hosts: give an inventory file (inventory) or a list of host names or addresses (hosts)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jinja_in_an_extra_variable_is_refused_because_Ansible_would_run_it()
    {
        var result = await Provider().ExecuteAsync(Request(new Dictionary<string, object?>
        {
            ["playbook"] = "restart.yml",
            ["inventory"] = "inventory.ini",
            ["extra_vars"] = new Dictionary<string, object?> { ["marker"] = _dir.File("x"), ["service"] = "{{ lookup('pipe', 'touch /tmp/pwned') }}" },
        }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("params.extra_vars: '{{ lookup('pipe', 'touch /tmp/pwned') }}' holds Jinja syntax, which Ansible would evaluate; refused", result.Error);
        Assert.False(File.Exists(_dir.File("x")));
    }

    private AnsibleActionProvider Provider() => new(new AnsibleActionOptions { Directory = _dir.Path });

    private static ActionRequest Request(IReadOnlyDictionary<string, object?> parameters) => new("run1", "restart", "run1:restart:1", parameters);
}
