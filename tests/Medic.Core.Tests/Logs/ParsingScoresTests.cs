using Medic.Core.Logs.Evaluation;

namespace Medic.Core.Tests.Logs;

public sealed class ParsingScoresTests
{
    [Fact]
    public void Scores_match_a_hand_computed_case()
    {
        // True groups: A = {0, 1}, B = {2, 3}, C = {4}. Parsed: "A" = {0, 1}, "y" = {2}, "z" = {3, 4}.
        // GA: only A is reproduced: 2 of 5 messages. FGA: 1 of 3 parsed and 1 of 3 true groups.
        // PA: messages 0 and 1 carry their exact template. FTA: only "A" is right for all its messages.
        var scores = ParsingScores.Compute(["A", "A", "B", "B", "C"], ["A", "A", "y", "z", "z"]);

        Assert.Equal(0.4, scores.GA, 10);
        Assert.Equal(1.0 / 3, scores.FGA, 10);
        Assert.Equal(0.4, scores.PA, 10);
        Assert.Equal(1.0 / 3, scores.FTA, 10);
    }

    [Fact]
    public void A_group_split_in_two_is_not_reproduced_even_if_each_part_is_pure()
    {
        var scores = ParsingScores.Compute(["A", "A", "B"], ["x", "y", "B"]);

        Assert.Equal(1.0 / 3, scores.GA, 10);
        Assert.Equal(2 * (1.0 / 3) * 0.5 / ((1.0 / 3) + 0.5), scores.FGA, 10);
        Assert.Equal(1.0 / 3, scores.PA, 10);
    }

    [Fact]
    public void Perfect_parsing_scores_one_and_a_length_mismatch_is_an_error()
    {
        Assert.Equal(new ParsingScores(1, 1, 1, 1), ParsingScores.Compute(["a <*>", "b"], ["a <*>", "b"]));
        Assert.Throws<ArgumentException>(() => ParsingScores.Compute(["a"], ["a", "b"]));
    }
}
