using Medic.Core.Incidents.Silences;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Incidents;

public sealed class LabelMatcherTests
{
    private static readonly Signals.Signal CartLatency = Some.Signal("HighLatency", Some.Pod("cart", "cart-1", "node-2")) with
    {
        Labels = new Dictionary<string, string> { ["severity"] = "warning" },
    };

    [Theory]
    [InlineData("service=cart", true)]
    [InlineData("service = \"cart\"", true)]
    [InlineData("service!=cart", false)]
    [InlineData("alertname=~High.*", true)]
    [InlineData("alertname=~High", false)]
    [InlineData("node!~node-[13]", true)]
    [InlineData("severity=warning", true)]
    [InlineData("team=", true)]
    [InlineData("team!=", false)]
    [InlineData("entity=pod/cart-1", true)]
    public void Matches_labels_and_the_signals_own_fields_as_alertmanager_would(string text, bool matches) =>
        Assert.Equal(matches, LabelMatcher.Parse(text).Matches(CartLatency));

    [Theory]
    [InlineData("", "expected name=value")]
    [InlineData("=cart", "expected name=value")]
    [InlineData("ser vice=cart", "is not a label name")]
    [InlineData("1service=cart", "is not a label name")]
    [InlineData("service~cart", "expected name=value")]
    [InlineData("service=~[", "does not compile")]
    public void Refuses_what_is_not_a_matcher_and_says_how_to_write_one(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => LabelMatcher.Parse(text)).Message, StringComparison.Ordinal);
}
