using Medic.Core.Logs;
using Medic.Core.Logs.Drain;

namespace Medic.Core.Tests.Logs;

/// <summary>Drain as the reference implementation behaves, on crafted lines.</summary>
public sealed class DrainParserTests
{
    [Fact]
    public void Messages_that_differ_in_one_token_merge_and_the_template_gets_a_variable()
    {
        var drain = new DrainParser();
        var first = drain.Add("Receiving block 1 from node");
        var second = drain.Add("Receiving block 2 from node");

        Assert.Same(first, second);
        Assert.Equal("Receiving block <*> from node", second.Template);
        Assert.Equal(2, second.Size);
    }

    [Fact]
    public void A_message_below_the_similarity_threshold_starts_its_own_cluster()
    {
        var drain = new DrainParser();
        var first = drain.Add("connection closed by peer now");
        var second = drain.Add("connection refused to remote host");

        Assert.NotSame(first, second);
        Assert.Equal(["connection closed by peer now", "connection refused to remote host"], drain.Clusters.Select(c => c.Template));
    }

    [Fact]
    public void Messages_of_different_lengths_never_merge()
    {
        var drain = new DrainParser();

        Assert.NotSame(drain.Add("disk full on sda"), drain.Add("disk full on sda now"));
    }

    [Fact]
    public void The_tree_routes_on_the_first_tokens_up_to_its_depth()
    {
        // Depth 4 routes on the first token: the same tail under another first word is another cluster.
        var shallow = new DrainParser(new DrainOptions { Depth = 4 });
        Assert.NotSame(shallow.Add("alpha service started ok"), shallow.Add("beta service started ok"));

        // Depth 3 routes on length alone, so similarity decides: 3 of 4 tokens are equal.
        var flat = new DrainParser(new DrainOptions { Depth = 3 });
        var merged = flat.Add("alpha service started ok");
        Assert.Same(merged, flat.Add("beta service started ok"));
        Assert.Equal("<*> service started ok", merged.Template);
    }

    [Fact]
    public void A_token_with_a_digit_routes_to_the_wildcard_child()
    {
        var drain = new DrainParser();
        var first = drain.Add("42 packets dropped");

        Assert.Same(first, drain.Add("43 packets dropped"));
        Assert.Equal("<*> packets dropped", first.Template);
    }

    [Fact]
    public void A_full_node_sends_new_tokens_to_its_wildcard_child()
    {
        var drain = new DrainParser(new DrainOptions { MaxChildren = 3 });
        drain.Add("alpha job done");
        drain.Add("beta job done");

        // The third distinct first token finds the node one short of full: it opens the wildcard child.
        var third = drain.Add("gamma job done");
        var fourth = drain.Add("delta job done");

        Assert.Same(third, fourth);
        Assert.Equal("<*> job done", fourth.Template);
        Assert.Equal(3, drain.Clusters.Count);
    }

    [Fact]
    public void The_legacy_mode_never_files_short_messages_as_the_reference_does()
    {
        var legacy = new DrainParser(new DrainOptions { LegacyShortMessages = true });
        var fixedUp = new DrainParser();

        Assert.NotSame(legacy.Add("ok"), legacy.Add("ok"));
        Assert.Same(fixedUp.Add("ok"), fixedUp.Add("ok"));
    }

    [Fact]
    public void On_a_tie_the_cluster_with_more_variables_wins()
    {
        var drain = new DrainParser(new DrainOptions { Depth = 3 });
        var specific = drain.Add("e b z w");
        var general = drain.Add("a b c d");
        drain.Add("a x y d");

        // "a b z d" shares two tokens with "e b z w" and two with "a <*> <*> d".
        Assert.Equal("a <*> <*> d", general.Template);
        Assert.Same(general, drain.Add("a b z d"));
        Assert.Equal(1, specific.Size);
    }

    [Fact]
    public void Masks_replace_every_match_in_order_before_parsing()
    {
        var masker = new RegexMasker([@"blk_-?\d+", @"(\d+\.){3}\d+(:\d+)?"]);

        Assert.Equal("Served block <*> to <*>", masker.Mask("Served block blk_-123 to 10.0.0.1:50010"));
        Assert.Throws<FormatException>(() => new RegexMasker(["(unclosed"]));
    }

    [Fact]
    public void A_log_format_extracts_the_content_and_the_fields()
    {
        var format = LogFormat.Parse(@"<Date> <Time> <Level> \[<Process>\] <Component>: <Content>");
        var fields = format.Split("2015-10-18 18:01:47,978 INFO [main] org.apache.MRAppMaster: Created MRAppMaster for application_1");

        Assert.Equal("Created MRAppMaster for application_1", fields![LogFormat.ContentField]);
        Assert.Equal("main", fields["Process"]);
        Assert.Null(format.Content("a line in another layout"));
        Assert.Throws<FormatException>(() => LogFormat.Parse("<Date> <Level>"));
    }
}
