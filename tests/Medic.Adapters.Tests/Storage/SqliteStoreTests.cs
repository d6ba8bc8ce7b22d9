using Medic.Adapters.Storage.Sqlite;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Learning.Drift;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Adapters.Tests.Storage;

public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly SqliteDatabase _db;

    public SqliteStoreTests() => _db = new SqliteDatabase(new SqliteOptions { Path = _dir.File("data/medic.db") });

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_database_is_created_in_wal_mode_with_every_migration_applied()
    {
        Assert.True(File.Exists(_dir.File("data/medic.db")));
        Assert.Equal(5, _db.SchemaVersion);
        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        await new SqliteIncidentStore(_db).CreateAsync(Incident("i1"), CancellationToken.None);
        using var reopened = new SqliteDatabase(new SqliteOptions { Path = _dir.File("data/medic.db") });

        Assert.Equal("i1", (await new SqliteIncidentStore(reopened).GetAsync("i1", CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task Log_template_states_are_saved_per_partition_and_replaced()
    {
        var store = new SqliteLogTemplateStore(_db, TimeProvider.System);
        await store.SaveAsync("cart", "{\"next_id\":2}", CancellationToken.None);
        await store.SaveAsync("cart", "{\"next_id\":3}", CancellationToken.None);
        await store.SaveAsync("payment", "{}", CancellationToken.None);

        var states = await store.LoadAsync(CancellationToken.None);
        Assert.Equal("{\"next_id\":3}", states["cart"]);
        Assert.Equal(2, states.Count);
    }

    [Fact]
    public async Task The_detector_state_is_one_blob_replaced_at_each_save()
    {
        var store = new SqliteDetectorStateStore(_db, TimeProvider.System);
        Assert.Null(await store.LoadAsync(CancellationToken.None));

        await store.SaveAsync([1, 2, 3], CancellationToken.None);
        await store.SaveAsync([4, 5], CancellationToken.None);

        Assert.Equal([4, 5], await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_database_from_a_newer_medic_is_refused_with_a_clear_error()
    {
        await ExecuteAsync("PRAGMA user_version = 99;");
        var error = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(new SqliteOptions { Path = _dir.File("data/medic.db") }));
        Assert.Contains("schema version 99, newer than this Medic knows (5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incidents_round_trip_and_update_atomically()
    {
        var store = new SqliteIncidentStore(_db);
        await store.CreateAsync(Incident("i1"), CancellationToken.None);
        var signal = new Signal { Id = "s1", Source = "metrics", Type = "HighLatency", Entity = new Entity("service", "cart") { Service = "cart" }, Score = 0.8, Confidence = 0.9, ObservedAt = T0, Summary = "slow" };

        var tasks = Enumerable.Range(0, 20).Select(_ => store.UpdateAsync("i1", i => i.With(signal, [], T0), CancellationToken.None));
        await Task.WhenAll(tasks);
        await store.UpdateAsync("i1", i => i with { State = IncidentState.Resolved }, CancellationToken.None);

        var stored = await store.GetAsync("i1", CancellationToken.None);
        Assert.Equal(20, stored!.SignalCount);
        Assert.Equal(["cart"], stored.Services);
        Assert.Empty(await store.ListAsync(activeOnly: true, 10, CancellationToken.None));
        Assert.Single(await store.ListAsync(activeOnly: false, 10, CancellationToken.None));
        Assert.Null(await store.UpdateAsync("missing", i => i, CancellationToken.None));
    }

    [Fact]
    public async Task Timelines_keep_their_order()
    {
        var store = new SqliteIncidentStore(_db);
        for (var i = 0; i < 5; i++)
        {
            await store.AppendTimelineAsync(new TimelineEntry("i1", T0, "test", "note", $"line {i}") { DataJson = i == 0 ? "{\"a\":1}" : null }, CancellationToken.None);
        }

        var timeline = await store.GetTimelineAsync("i1", CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"line {i}"), timeline.Select(t => t.Message));
        Assert.Equal("{\"a\":1}", timeline[0].DataJson);
    }

    [Fact]
    public async Task Decisions_awaiting_approval_are_listed_until_decided()
    {
        var store = new SqliteDecisionStore(_db);
        var decision = new Decision { Id = "d1", IncidentId = "i1", CreatedAt = T0, Status = DecisionStatus.AwaitingApproval, Level = AutomationLevel.L1, Reason = "r" };
        await store.SaveAsync(decision, CancellationToken.None);
        Assert.Single(await store.ListAwaitingApprovalAsync(CancellationToken.None));

        await store.SaveAsync(decision with { Status = DecisionStatus.Approved }, CancellationToken.None);
        Assert.Empty(await store.ListAwaitingApprovalAsync(CancellationToken.None));
        Assert.Equal(AutomationLevel.L1, (await store.GetAsync("d1", CancellationToken.None))!.Level);
    }

    [Fact]
    public async Task The_audit_log_chains_its_entries_and_refuses_edits()
    {
        var audit = new SqliteAuditLog(_db, new FakeTimeProvider(T0));
        for (var i = 0; i < 3; i++)
        {
            await audit.AppendAsync("medic", "action.executed", $"run-{i}", new { Step = i }, CancellationToken.None);
        }

        Assert.Null(await audit.VerifyAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;"));
        Assert.Contains("the audit log is append-only", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync("DELETE FROM audit_log WHERE seq = 2;"));
    }

    [Fact]
    public async Task Tampering_behind_the_triggers_back_is_found_by_verification()
    {
        var audit = new SqliteAuditLog(_db, new FakeTimeProvider(T0));
        for (var i = 0; i < 3; i++)
        {
            await audit.AppendAsync("medic", "action.executed", $"run-{i}", null, CancellationToken.None);
        }

        await ExecuteAsync("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET subject = 'run-x' WHERE seq = 2;");

        Assert.Equal(2, await audit.VerifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Settings_are_kept_by_key()
    {
        var settings = new SqliteSettingsStore(_db);
        Assert.Null(await settings.GetAsync("k", CancellationToken.None));
        await settings.SetAsync("k", "1", CancellationToken.None);
        await settings.SetAsync("k", "2", CancellationToken.None);
        Assert.Equal("2", await settings.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task Model_versions_are_listed_newest_first_with_their_validation()
    {
        var store = new SqliteModelVersionStore(_db);
        ModelVersion Version(int n, bool swapped) => new()
        {
            Model = "isolation_forest", Key = "cart", Version = n, At = T0.AddHours(n), Reason = "drift", Drift = new DriftReading(0.4, 0.3, 1e-9, true),
            TrainedOn = 270, Validation = new ModelValidation(90, 4, 12, 1, 4, 4), Swapped = swapped,
        };
        await store.AddAsync([Version(2, swapped: false), Version(2, swapped: true)], CancellationToken.None);
        await store.AddAsync([Version(3, swapped: true)], CancellationToken.None);

        var listed = await store.ListAsync(2, CancellationToken.None);
        Assert.Equal([(3, true), (2, true)], listed.Select(v => (v.Version, v.Swapped)));
        Assert.Equal(Version(3, swapped: true), listed[0]);

        // By model: the calibration that took over last, however many forest refits came after it.
        var calibration = Version(4, swapped: true) with { Model = "rca_calibration", Key = "diagnosis", Validation = null, Calibration = new ConfidenceCalibration(0.7, 0.2) };
        await store.AddAsync([calibration, calibration with { Version = 5, Swapped = false }, Version(6, swapped: true)], CancellationToken.None);
        Assert.Equal(calibration, await store.LatestSwappedAsync("rca_calibration", CancellationToken.None));
        Assert.Null(await store.LatestSwappedAsync("playbook_policy", CancellationToken.None));
        Assert.Equal([5, 4], (await store.ListAsync("rca_calibration", 10, CancellationToken.None)).Select(v => v.Version));
    }

    private static Incident Incident(string id) => new()
    {
        Id = id,
        State = IncidentState.Open,
        Title = "t",
        OpenedAt = T0,
        UpdatedAt = T0,
        LastSignalAt = T0,
    };

    private async Task<string?> ScalarAsync(string sql) =>
        await _db.ReadAsync(async c =>
        {
            await using var command = SqliteDatabase.Command(c, sql);
            return (await command.ExecuteScalarAsync())?.ToString();
        }, CancellationToken.None);

    private Task ExecuteAsync(string sql) =>
        _db.WriteAsync(async (c, t) =>
        {
            await using var command = SqliteDatabase.Command(c, sql);
            command.Transaction = t;
            await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);
}
