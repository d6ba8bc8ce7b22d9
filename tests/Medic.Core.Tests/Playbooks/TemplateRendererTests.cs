using Medic.Core.Playbooks;

namespace Medic.Core.Tests.Playbooks;

public sealed class TemplateRendererTests
{
    private static readonly Dictionary<string, object?> Model = new()
    {
        ["playbook_id"] = "k8s-pod-oom-restart-v1",
        ["anomaly"] = new Dictionary<string, object?>
        {
            ["summary"] = "{{ playbook_id }} should stay text",
            ["entity"] = new Dictionary<string, object?> { ["pod_name"] = "cart-7d9f8-x2k4p", ["namespace"] = "shop" },
        },
        ["outputs"] = new Dictionary<string, object?>
        {
            ["get-pod-details"] = new Dictionary<string, object?>
            {
                ["metadata"] = new Dictionary<string, object?>
                {
                    ["ownerReferences"] = new List<object?> { new Dictionary<string, object?> { ["kind"] = "ReplicaSet", ["name"] = "cart-7d9f8" } },
                },
            },
        },
    };

    [Fact]
    public void Earlier_step_output_is_reachable_by_step_name_and_index()
    {
        Assert.Equal("cart-7d9f8", TemplateRenderer.Render("{{ outputs['get-pod-details'].metadata.ownerReferences[0].name }}", Model));
    }

    [Fact]
    public void Unknown_variable_is_an_error_not_an_empty_string()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateRenderer.Render("{{ anomaly.entity.pod }}", Model));
        Assert.Contains("{{ anomaly.entity.pod }}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendered_values_are_data_and_are_not_rendered_again()
    {
        Assert.Equal("{{ playbook_id }} should stay text", TemplateRenderer.Render("{{ anomaly.summary }}", Model));
    }

    [Fact]
    public void Output_is_not_html_encoded()
    {
        var model = new Dictionary<string, object?> { ["x"] = "a<b & 'c'" };
        Assert.Equal("a<b & 'c'", TemplateRenderer.Render("{{ x }}", model));
    }

    [Fact]
    public void Trees_render_every_string_and_keep_other_values()
    {
        var rendered = (IReadOnlyDictionary<string, object?>)TemplateRenderer.RenderTree(
            new Dictionary<string, object?> { ["name"] = "{{ anomaly.entity.namespace }}", ["list"] = new List<object?> { "{{ playbook_id }}", "3" } },
            Model)!;

        Assert.Equal("shop", rendered["name"]);
        Assert.Equal(["k8s-pod-oom-restart-v1", "3"], (IEnumerable<object?>)rendered["list"]!);
    }
}
