namespace Medic.Core.Policy;

/// <summary>One rail the decision went through, and how it fared.</summary>
/// <param name="Rail">Which rail: <c>kill_switch</c>, <c>level</c>, <c>freeze</c>, <c>window</c>, <c>confidence</c>, <c>risk</c>, <c>blast_radius</c>, <c>approval</c>, <c>dry_run</c>.</param>
/// <param name="Passed">False when it held the decision back.</param>
/// <param name="Detail">What it saw, in one line.</param>
public sealed record PolicyGate(string Rail, bool Passed, string Detail)
{
    /// <summary><c>rail: detail</c>, prefixed by what it did.</summary>
    public override string ToString() => $"{(Passed ? "passed" : "held")} {Rail}: {Detail}";
}
