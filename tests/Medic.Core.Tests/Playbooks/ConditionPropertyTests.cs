using CsCheck;
using Medic.Core.Playbooks.Conditions;

namespace Medic.Core.Tests.Playbooks;

/// <summary>Laws that condition evaluation must obey for any context and any values.</summary>
public sealed class ConditionPropertyTests
{
    private static readonly Gen<object?> Value = Gen.OneOf(
        Gen.Const((object?)null),
        Gen.Int[-5, 5].Select(i => (object?)(decimal)i),
        Gen.Double[-5, 5].Select(d => (object?)d),
        Gen.OneOf<object?>("a", "b", "abc", "", "1", "true"),
        Gen.Bool.Select(b => (object?)b));

    private static readonly Gen<Dictionary<string, object?>> Context = Gen.Select(Value, Value, Value, Value.List[0, 3], (a, b, c, list) =>
        new Dictionary<string, object?> { ["x"] = a, ["y"] = b, ["l"] = list, ["n"] = new Dictionary<string, object?> { ["z"] = c } });

    private static readonly Gen<string> Path = Gen.OneOf("x", "y", "l", "n.z", "missing", "n.missing");

    private static readonly Gen<Condition> Leaf = Gen.Select(
        Gen.OneOf("equals", "not_equals", "contains", "not_contains", "greater_than", "less_than", "exists"),
        Path,
        Value,
        (op, path, value) => (Condition)new Comparison(op, [KeyValuePair.Create(path, op == "exists" ? null : value)]));

    private static readonly Gen<Condition> Tree = Gen.Recursive<Condition>((depth, tree) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (3, Leaf),
            (1, tree.List[0, 3].Select(parts => (Condition)new AllOf(parts))),
            (1, tree.List[0, 3].Select(parts => (Condition)new AnyOf(parts))),
            (1, tree.Select(part => (Condition)new Negation(part)))));

    [Fact]
    public void Not_inverts() =>
        Gen.Select(Tree, Context).Sample(t => new Negation(t.Item1).Evaluate(t.Item2) == !t.Item1.Evaluate(t.Item2));

    [Fact]
    public void And_is_all_and_or_is_any() =>
        Gen.Select(Tree.List[0, 4], Context).Sample(t =>
            new AllOf(t.Item1).Evaluate(t.Item2) == t.Item1.All(p => p.Evaluate(t.Item2))
            && new AnyOf(t.Item1).Evaluate(t.Item2) == t.Item1.Any(p => p.Evaluate(t.Item2)));

    [Fact]
    public void De_Morgan_holds() =>
        Gen.Select(Tree, Tree, Context).Sample(t =>
            new Negation(new AllOf([t.Item1, t.Item2])).Evaluate(t.Item3) == new AnyOf([new Negation(t.Item1), new Negation(t.Item2)]).Evaluate(t.Item3));

    [Fact]
    public void Explaining_gives_the_same_answer_as_evaluating() =>
        Gen.Select(Tree, Context).Sample(t => t.Item1.Explain(t.Item2, []) == t.Item1.Evaluate(t.Item2));

    [Fact]
    public void Negated_operators_are_the_negation_of_their_operator() =>
        Gen.Select(Path, Value, Context).Sample(t =>
            Holds("not_equals", t.Item1, t.Item2, t.Item3) == !Holds("equals", t.Item1, t.Item2, t.Item3)
            && Holds("not_contains", t.Item1, t.Item2, t.Item3) == !Holds("contains", t.Item1, t.Item2, t.Item3));

    [Fact]
    public void In_a_one_element_list_is_equals() =>
        Gen.Select(Path, Value, Context).Sample(t =>
            Holds("in", t.Item1, new List<object?> { t.Item2 }, t.Item3) == Holds("equals", t.Item1, t.Item2, t.Item3));

    [Fact]
    public void Greater_and_less_than_never_both_hold() =>
        Gen.Select(Path, Value, Context).Sample(t => !(Holds("greater_than", t.Item1, t.Item2, t.Item3) && Holds("less_than", t.Item1, t.Item2, t.Item3)));

    [Fact]
    public void Equality_of_numbers_ignores_how_they_are_written() =>
        Gen.Int[-1000, 1000].Sample(i =>
        {
            var ctx = new Dictionary<string, object?> { ["x"] = (decimal)i };
            return Holds("equals", "x", i.ToString(System.Globalization.CultureInfo.InvariantCulture), ctx) && Holds("equals", "x", (double)i, ctx);
        });

    private static bool Holds(string op, string path, object? value, Dictionary<string, object?> context) =>
        new Comparison(op, [KeyValuePair.Create(path, value)]).Evaluate(context);
}
