using Medic.Core.Logs.Parsing;

namespace Medic.Core.Tests.Logs;

public sealed class LogParserTests
{
    [Fact]
    public void Messages_that_differ_in_part_of_a_token_get_a_variable_inside_the_token()
    {
        var parser = new LogParser();
        var first = parser.Add("session opened for user root by LOGIN uid=0");
        var second = parser.Add("session opened for user bob by LOGIN uid=500");

        Assert.Same(first, second);
        Assert.Equal("session opened for user <*> by LOGIN uid=<*>", second.Text);
    }

    [Fact]
    public void Two_variables_in_the_same_place_say_nothing_against_a_match()
    {
        var parser = new LogParser();
        var template = parser.Add("Received block blk_1 of size 67108864 from /10.0.0.1");

        // Every constant token is equal, so similarity is 1 whatever the values.
        Assert.Same(template, parser.Add("Received block blk_-99 of size 123 from /10.0.0.2"));
        Assert.Equal("Received block <*> of size <*> from <*>", template.Text);
    }

    [Fact]
    public void Different_constant_words_keep_messages_apart_below_the_threshold()
    {
        var parser = new LogParser();

        Assert.NotSame(parser.Add("disk sda is almost full"), parser.Add("fan one is spinning slowly"));
    }

    [Fact]
    public void A_word_that_takes_a_few_recurring_values_is_an_enumeration()
    {
        var parser = new LogParser();
        var messages = new[] { "job 1 changed state to RUNNING", "job 2 changed state to RUNNING", "job 3 changed state to DONE", "job 4 changed state to DONE" };
        var parsed = messages.Select(m => (Template: parser.Add(m), Tokens: parser.LastTokens())).ToList();

        Assert.Single(parsed.Select(p => p.Template).Distinct());
        Assert.Equal(
            ["job <*> changed state to RUNNING", "job <*> changed state to RUNNING", "job <*> changed state to DONE", "job <*> changed state to DONE"],
            parsed.Select(p => p.Template.TextOf(p.Tokens)));
    }

    [Fact]
    public void A_word_with_many_values_is_a_variable()
    {
        var parser = new LogParser();
        var users = new[] { "alice", "bob", "carol", "dave", "erin", "alice", "bob", "carol" };
        var parsed = users.Select(u => (Template: parser.Add($"password changed for user {u} by admin"), Tokens: parser.LastTokens())).ToList();

        Assert.All(parsed, p => Assert.Equal("password changed for user <*> by admin", p.Template.TextOf(p.Tokens)));
    }

    [Fact]
    public void A_repeated_message_joins_the_same_template_from_memory()
    {
        var parser = new LogParser();
        var first = parser.Add("Verification succeeded for blk_1");

        Assert.Same(first, parser.Add("Verification succeeded for blk_2"));
        Assert.Equal(1, parser.Repeats);
        Assert.Equal(2, first.Size);
    }

    [Fact]
    public void Short_messages_join_each_other_like_any_other()
    {
        var parser = new LogParser(new LogParserOptions { RememberedMessages = 0 });

        Assert.Same(parser.Add("ok"), parser.Add("ok"));
        Assert.Same(parser.Add("starting 12"), parser.Add("starting 13"));
    }

    [Fact]
    public void Messages_that_open_with_a_variable_are_routed_on_their_first_constant_word()
    {
        var parser = new LogParser(new LogParserOptions { RememberedMessages = 0 });
        var written = parser.Add("081109 203615 INFO block written");
        var read = parser.Add("081110 100000 INFO block read");

        Assert.NotSame(written, read);
        Assert.Same(written, parser.Add("081111 000001 INFO block written"));
    }
}
