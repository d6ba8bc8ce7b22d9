using System.Text.Json;
using Json.Schema;
using Medic.Core.Playbooks;
using Medic.Testing;
using YamlDotNet.Serialization;

namespace Medic.Core.Tests.Playbooks;

/// <summary>docs/playbook.schema.json describes what the loader accepts.</summary>
public sealed class PlaybookSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "playbook.schema.json")));

    public static TheoryData<string> ShippedFiles => [.. Directory.EnumerateFiles(RepoPaths.Playbooks, "*.yaml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_playbook_is_valid_under_the_schema(string file)
    {
        var result = Schema.Evaluate(ToJson(File.ReadAllText(Path.Combine(RepoPaths.Playbooks, file))));
        Assert.True(result.IsValid, $"{file} fails the schema");
    }

    [Theory]
    [InlineData("playbook_id: p\nactions: [{name: a, type: t}]\n")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: t, retries: 20}]\n")]
    [InlineData("playbook_id: p\ntrigger: {bigger: [{a: 1}]}\nactions: [{name: a, type: t}]\n")]
    [InlineData("playbook_id: p\ntrigger: {exists: a}\nactions: [{name: a, type: t}]\nsafety: {automation_level: L9}\n")]
    [InlineData("playbook_id: P!\ntrigger: {exists: a}\nactions: [{name: a, type: t}]\n")]
    public void What_the_loader_rejects_the_schema_rejects_too(string yaml)
    {
        Assert.Null(PlaybookLoader.Parse(yaml, "p.yaml").Playbook);
        Assert.False(Schema.Evaluate(ToJson(yaml)).IsValid);
    }

    private static JsonElement ToJson(string yaml)
    {
        var tree = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return JsonSerializer.SerializeToElement(tree);
    }
}
