using Medic.Core.Audit;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var log = await LogOf(5);
        Assert.Null(AuditChain.FindBreak(log.Entries));
    }

    [Fact]
    public async Task Changing_an_entry_breaks_the_chain_at_that_entry()
    {
        var log = await LogOf(5);
        log.Entries[2] = log.Entries[2] with { Actor = "mallory" };
        Assert.Equal(3, AuditChain.FindBreak(log.Entries));
    }

    [Fact]
    public async Task Removing_an_entry_breaks_the_chain_where_it_was()
    {
        var log = await LogOf(5);
        log.Entries.RemoveAt(1);
        Assert.Equal(3, AuditChain.FindBreak(log.Entries));
    }

    [Fact]
    public async Task Rehashing_a_changed_entry_still_breaks_the_next_one()
    {
        var log = await LogOf(3);
        var e = log.Entries[0] with { Action = "nothing.happened" };
        log.Entries[0] = e with { Hash = AuditChain.ComputeHash(e.Sequence, e.At, e.Actor, e.Action, e.Subject, e.DataJson, e.PreviousHash) };
        Assert.Equal(2, AuditChain.FindBreak(log.Entries));
    }

    private static async Task<InMemoryAuditLog> LogOf(int count)
    {
        var log = new InMemoryAuditLog();
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync("medic", "action.executed", $"run-{i}", new { Step = i }, CancellationToken.None);
        }

        return log;
    }
}
