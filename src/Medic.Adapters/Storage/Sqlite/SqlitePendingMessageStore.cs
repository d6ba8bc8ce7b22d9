using Medic.Core.Bus;
using Medic.Core.Storage;

namespace Medic.Adapters.Storage.Sqlite;

/// <summary>Messages persisted by a stopping stage, in SQLite.</summary>
public sealed class SqlitePendingMessageStore(SqliteDatabase db) : IPendingMessageStore
{
    /// <inheritdoc />
    public Task SaveAsync(string subscriber, IReadOnlyList<IMessage> messages, CancellationToken cancellationToken) =>
        db.WriteAsync(
            async (c, t) =>
            {
                foreach (var message in messages)
                {
                    var (topic, json) = MessageCodec.Encode(message);
                    await JsonRows.ExecuteAsync(
                        c,
                        t,
                        "INSERT INTO pending_messages (subscriber, topic, body) VALUES ($subscriber, $topic, $body)",
                        cancellationToken,
                        ("$subscriber", subscriber),
                        ("$topic", topic),
                        ("$body", json));
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IMessage>> TakeAsync(string subscriber, CancellationToken cancellationToken) =>
        db.WriteAsync<IReadOnlyList<IMessage>>(
            async (c, t) =>
            {
                var messages = new List<IMessage>();
                await using (var select = SqliteDatabase.Command(c, "SELECT topic, body FROM pending_messages WHERE subscriber = $s ORDER BY seq", ("$s", subscriber)))
                {
                    select.Transaction = t;
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        messages.Add(MessageCodec.Decode(reader.GetString(0), reader.GetString(1)));
                    }
                }

                await JsonRows.ExecuteAsync(c, t, "DELETE FROM pending_messages WHERE subscriber = $s", cancellationToken, ("$s", subscriber));
                return messages;
            },
            cancellationToken);
}
