using System.Text.Json;
using Medic.Core.Json;
using Medic.Core.Logs.Mining;
using Medic.Core.Logs.Parsing;

namespace Medic.Core.Tests.Logs;

public sealed class TemplateMinerTests
{
    [Fact]
    public void Template_ids_survive_a_restart_through_the_saved_state()
    {
        var before = new TemplateMiner();
        var restart = before.Mine("cart", "Restarting worker 7 after crash");
        var user = before.Mine("cart", "login ok for user alice");
        before.Mine("cart", "login ok for user bob");
        before.Mine("cart", "Restarting worker 8 after crash");
        var json = JsonSerializer.Serialize(before.Unsaved().Single().State, MedicJson.Options);

        var after = new TemplateMiner();
        after.Restore("cart", JsonSerializer.Deserialize<LogParserState>(json, MedicJson.Options)!);

        var again = after.Mine("cart", "Restarting worker 9 after crash");
        Assert.Equal(restart.TemplateId, again.TemplateId);
        Assert.False(again.IsNew);
        Assert.Equal("Restarting worker <*> after crash", again.Template);
        Assert.Equal(user.TemplateId, after.Mine("cart", "login ok for user carol").TemplateId);
        var fresh = after.Mine("cart", "disk is full on the cache volume");
        Assert.True(fresh.IsNew);
        Assert.Equal(3, fresh.TemplateId);
        Assert.Empty(new TemplateMiner().Unsaved());
    }

    [Fact]
    public void Only_partitions_that_changed_are_saved_and_a_failed_save_is_tried_again()
    {
        var miner = new TemplateMiner();
        miner.Mine("cart", "started");
        miner.Mine("payment", "started");
        var first = miner.Unsaved();
        Assert.Equal(2, first.Count);
        miner.MarkSaved(first[0]);
        Assert.Single(miner.Unsaved());
        miner.MarkSaved(miner.Unsaved()[0]);

        miner.Mine("cart", "started");
        Assert.Empty(miner.Unsaved());
        Assert.Equal(["cart"], miner.Unsaved(counts: true).Select(c => c.Partition));

        miner.Mine("payment", "stopped by operator now");
        Assert.Equal(["payment"], miner.Unsaved().Select(c => c.Partition));
    }

    [Fact]
    public void Past_the_cap_the_least_recently_used_templates_are_forgotten()
    {
        var parser = new LogParser(new LogParserOptions { MaxTemplates = 10 });
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo" };
        var alpha = parser.Add($"{words[0]} subsystem reported status");
        for (var i = 1; i < words.Length; i++)
        {
            parser.Add($"{words[i]} subsystem reported status");
            parser.Add($"{words[0]} subsystem reported status"); // alpha stays recently used
        }

        Assert.True(parser.Templates.Count <= 10);
        Assert.Contains(alpha, parser.Templates);
        Assert.DoesNotContain(parser.Templates, t => t.Text.StartsWith("bravo", StringComparison.Ordinal));
        var returned = parser.Add("bravo subsystem reported status");
        Assert.Equal(12, returned.Id);
        Assert.Contains(returned, parser.Templates);
    }

    [Fact]
    public void Parameters_are_the_values_of_a_message_s_variables()
    {
        var parser = new LogParser();
        parser.Add("Received block blk_1 of size 64 from /10.0.0.1");
        var template = parser.Add("Received block blk_2 of size 128 from /10.0.0.2");

        Assert.Equal(["blk_3", "512", "/10.0.0.3"], template.Parameters("Received block blk_3 of size 512 from /10.0.0.3"));
        Assert.Equal(["blk_4", "5", "x"], template.Parameters("Received  block blk_4 of size 5 from x"));
        Assert.Null(template.Parameters("Sent block blk_3 to somewhere"));
    }

    [Fact]
    public void Partitions_are_mined_side_by_side_without_mixing()
    {
        var miner = new TemplateMiner();
        Parallel.For(0, 4_000, i => miner.Mine($"svc{i % 4}", $"request {i} served in {i % 97} ms"));

        Assert.Equal(4, miner.Partitions.Count);
        Assert.All(miner.Partitions, p => Assert.Equal(1_000, miner.Templates(p).Sum(t => t.Count)));
    }
}
