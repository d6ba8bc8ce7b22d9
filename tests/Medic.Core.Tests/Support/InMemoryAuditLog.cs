using System.Text.Json;
using Medic.Core.Audit;
using Medic.Core.Json;

namespace Medic.Core.Tests.Support;

internal sealed class InMemoryAuditLog : IAuditLog
{
    public List<AuditEntry> Entries { get; } = [];

    public Task<AuditEntry> AppendAsync(string actor, string action, string subject, object? data, CancellationToken cancellationToken)
    {
        var previous = Entries.Count == 0 ? AuditChain.Genesis : Entries[^1].Hash;
        var json = data is null ? "{}" : JsonSerializer.Serialize(data, data.GetType(), MedicJson.Options);
        var at = Some.Start.AddSeconds(Entries.Count);
        var entry = new AuditEntry(Entries.Count + 1, at, actor, action, subject, json, previous, AuditChain.ComputeHash(Entries.Count + 1, at, actor, action, subject, json, previous));
        Entries.Add(entry);
        return Task.FromResult(entry);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(Entries.Where(e => e.Sequence > afterSequence).Take(limit).ToList());

    public Task<long?> VerifyAsync(CancellationToken cancellationToken) => Task.FromResult(AuditChain.FindBreak(Entries));
}
