using Medic.Core.Tests.Support;
using Medic.Core.Traces;

namespace Medic.Core.Tests.Traces;

public sealed class ErrorOriginsTests
{
    private static SpanRecord Span(string trace, string id, string parent, string service, string kind, bool error, int second, params (string Key, string Value)[] attributes) =>
        new(trace, id, parent, service, $"{kind} {service}", kind, Some.Start.AddSeconds(second), Some.Start.AddSeconds(second + 1), error)
        {
            Attributes = attributes.ToDictionary(a => a.Key, a => a.Value),
        };

    /// <summary>frontend → checkout → payment, failing from <paramref name="origin"/> up (payment's database when "db").</summary>
    private static IEnumerable<SpanRecord> Failed(string trace, string origin, int second)
    {
        var depth = origin switch { "frontend" => 0, "checkout" => 1, "payment" => 2, _ => 3 };
        yield return Span(trace, "1", "", "frontend", "server", true, second);
        yield return Span(trace, "2", "1", "frontend", "client", depth >= 1, second, ("peer.service", "checkout"));
        yield return Span(trace, "3", "2", "checkout", "server", depth >= 1, second);
        yield return Span(trace, "4", "3", "checkout", "client", depth >= 2, second, ("peer.service", "payment"));
        yield return Span(trace, "5", "4", "payment", "server", depth >= 2, second);
        yield return Span(trace, "6", "5", "payment", "client", depth >= 3, second, ("db.system", "postgresql"), ("db.name", "payments-db"));
    }

    [Theory]
    [InlineData("checkout", "checkout")]
    [InlineData("payment", "payment")]
    [InlineData("db", "payments-db")] // a database has no spans of its own: the failed call to it names it
    public void Failed_requests_start_where_the_deepest_failed_span_is(string failing, string origin)
    {
        var origins = new ErrorOrigins(TimeSpan.FromMinutes(30));
        origins.Record([.. Enumerable.Range(0, 8).SelectMany(i => Failed($"t{i}", failing, i))]);

        Assert.Equal(new ErrorOrigin(origin, 8, 8), origins.Leading(Some.Start, Some.Start.AddMinutes(1)));
    }

    [Fact]
    public void A_trickle_of_errors_from_everywhere_leads_nowhere_and_old_origins_are_forgotten()
    {
        var origins = new ErrorOrigins(TimeSpan.FromMinutes(5));
        string[] services = ["frontend", "checkout", "payment", "db"];
        origins.Record([.. Enumerable.Range(0, 12).SelectMany(i => Failed($"t{i}", services[i % 4], i))]);

        Assert.Null(origins.Leading(Some.Start, Some.Start.AddMinutes(1)));
        Assert.Null(origins.Leading(Some.Start, Some.Start.AddMinutes(1), minimumCount: 4)); // three each: no majority

        origins.Record([.. Failed("late", "payment", 600)]);
        Assert.Null(origins.Leading(Some.Start, Some.Start.AddMinutes(1), minimumCount: 1, minimumShare: 0));
    }
}
