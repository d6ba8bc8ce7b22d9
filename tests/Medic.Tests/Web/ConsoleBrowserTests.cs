using Medic.Core.Storage;
using Medic.Sim.Faults;
using Microsoft.Extensions.DependencyInjection;
using Medic.Web.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Medic.Tests.Web;

/// <summary>The console in a real browser: Debian's Chromium driven by Playwright, against the simulated estate.</summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_first_incident_appears_without_a_reload_and_its_page_shows_story_hypotheses_chart_and_graph()
    {
        await using var session = await ConsoleSession.StartAsync();
        var medic = session.Medic;
        var incidents = medic.Services.GetRequiredService<IIncidentStore>();
        var page = await session.PageAsync();
        try
        {
            await session.StepsAsync(TimeSpan.FromMinutes(30));
            await page.GotoAsync(medic.Address.ToString());
            Assert.Equal(0, await page.Locator("tr.incident").CountAsync());

            // The page stays open while a bad deploy breaks the estate: the incident must appear on it by itself.
            var fault = medic.Simulator.Inject(FaultKinds.BadDeploy);
            for (var i = 0; i < 60 && (await incidents.ListAsync(activeOnly: true, limit: 1, CancellationToken.None)).Count == 0; i++)
            {
                await session.StepsAsync(TimeSpan.FromSeconds(10));
            }

            await page.Locator("tr.incident").First.WaitForAsync(new() { Timeout = 15_000 });

            // Once diagnosed, its page shows the story and the ranked hypotheses with their evidence.
            for (var i = 0; i < 60 && (await incidents.ListAsync(activeOnly: false, limit: 1, CancellationToken.None))[0].RootCause is null; i++)
            {
                await session.StepsAsync(TimeSpan.FromSeconds(10));
            }

            await page.Locator("tr.incident a").First.ClickAsync();
            await page.Locator("#story").WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains(fault.Truth.Name, await page.Locator("#story").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await page.Locator("#hypotheses tr.hypothesis").CountAsync() >= 1);
            Assert.Contains($"service/{fault.Truth.Name}", await page.Locator("#hypotheses tr.hypothesis").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await page.Locator("#timeline li").CountAsync() > 3);
            Assert.Equal(1, await page.Locator("#series svg.chart polyline.series").CountAsync());
            Assert.Equal(1, await page.Locator("#series svg.chart line.onset").CountAsync());
            Assert.Equal(fault.Truth.Name, await page.Locator("#graph svg.graph g.suspect").GetAttributeAsync("data-service"));
            Assert.Contains("rollback-deployment", await page.Locator("#in-force ol.steps").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("passed kill_switch", await page.Locator("#in-force ul.rails").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains($"deploy of {fault.Truth.Name}", await page.Locator("#changes").InnerTextAsync(), StringComparison.Ordinal);

            // The list filters: by what an incident is about, and to the active ones.
            await page.GotoAsync(session.Url($"/?q={fault.Truth.Name}"));
            Assert.Equal(1, await page.Locator("tr.incident").CountAsync());
            await page.GotoAsync(session.Url("/?q=no-such-service"));
            Assert.Equal(0, await page.Locator("tr.incident").CountAsync());
            await page.GoBackAsync();
            await page.GoBackAsync();
        }
        finally
        {
            await ConsoleSession.ScreenshotAsync(page, "console-incident.png");
            output.WriteLine(session.Console.ToString());
        }
    }

    [Fact]
    public async Task The_runs_playbooks_safety_and_audit_pages_show_what_medic_did_and_the_chain_verifies()
    {
        await using var session = await ConsoleSession.StartAsync();
        var medic = session.Medic;
        var runs = medic.Services.GetRequiredService<IRunStore>();
        var page = await session.PageAsync();
        try
        {
            // A bad deploy is rolled back at L2, no approval needed: one run, audited.
            await session.StepsAsync(TimeSpan.FromMinutes(30));
            medic.Simulator.Inject(FaultKinds.BadDeploy);
            Assert.True(await session.UntilAsync(async () => (await runs.ListRecentAsync(DateTimeOffset.MinValue, CancellationToken.None)).Any(r => r.FinishedAt is not null)), "the run finished");

            await page.GotoAsync(new Uri(medic.Address, "/runs").ToString());
            Assert.Contains("k8s-deploy-rollback-v1", await page.Locator("section.run h2").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("rollback-deployment", await page.Locator("section.run table").First.InnerTextAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Link, new() { Name = "Playbooks" }).ClickAsync();
            Assert.Equal(3, await page.Locator("tr.playbook").CountAsync());
            await page.GetByLabel("Playbook").SelectOptionAsync("k8s-pod-oom-restart-v1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try it" }).ClickAsync();
            Assert.Contains("k8s-pod-oom-restart-v1: matches", await page.Locator("#trial h2").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("restart-deployment", await page.Locator("#trial ol.steps").InnerTextAsync(), StringComparison.Ordinal);
            await page.GetByLabel("Event (JSON)").FillAsync("{not json");
            await page.GetByRole(AriaRole.Button, new() { Name = "Try it" }).ClickAsync();
            Assert.Contains("The event is not JSON", await page.Locator("#trial").InnerTextAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Link, new() { Name = "Safety" }).ClickAsync();
            Assert.Contains("Kill switch: off", await page.Locator("#killswitch h2").InnerTextAsync(), StringComparison.Ordinal);
            await page.Locator("#silence").GetByLabel("Your name").FillAsync("sam");
            await page.GetByLabel("Matchers").FillAsync("service=search");
            await page.Locator("#silence").GetByLabel("Why").FillAsync("reindexing tonight");
            await page.GetByRole(AriaRole.Button, new() { Name = "Silence" }).ClickAsync();
            Assert.Contains("service=\"search\"", await page.Locator("tr.silence").First.InnerTextAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
            Assert.True(await page.Locator("tr.audit").CountAsync() >= 1);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify the hash chain" }).ClickAsync();
            Assert.Contains("The chain is intact", await page.Locator("#verified").InnerTextAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await ConsoleSession.ScreenshotAsync(page, "console-audit.png");
            output.WriteLine(session.Console.ToString());
        }
    }

    [Fact]
    public async Task An_operator_signs_in_and_approves_while_a_viewer_sees_no_button_and_the_api_refuses_them()
    {
        await using var session = await ConsoleSession.StartAsync(options =>
        {
            options.ApprovesForPeople = false;
            options.ConfigureServer = server => server.Auth = new AuthOptions
            {
                Users = [new LocalUser("olivia", Passwords.Hash("olivia's password", iterations: 1_000), Role.Operator), new LocalUser("victor", Passwords.Hash("victor's password", iterations: 1_000), Role.Viewer)],
            };
        });
        var medic = session.Medic;
        var decisions = medic.Services.GetRequiredService<IDecisionStore>();
        var incidents = medic.Services.GetRequiredService<IIncidentStore>();
        var viewer = await session.PageAsync();
        var operator_ = await session.PageAsync();
        try
        {
            // A leaking pod is OOM-killed: its restart playbook is L1 and waits for a person.
            await session.StepsAsync(TimeSpan.FromMinutes(30));
            medic.Simulator.Inject(FaultKinds.MemoryLeak);
            Core.Decisions.Decision? waiting = null;
            for (var i = 0; i < 200 && waiting is null; i++)
            {
                await session.StepsAsync(TimeSpan.FromSeconds(10));
                foreach (var incident in await incidents.ListAsync(activeOnly: true, limit: 10, CancellationToken.None))
                {
                    waiting ??= (await decisions.ListByIncidentAsync(incident.Id, CancellationToken.None)).FirstOrDefault(d => d.Status == Core.Decisions.DecisionStatus.AwaitingApproval);
                }
            }

            Assert.NotNull(waiting);
            var incidentPage = new Uri(medic.Address, $"/incidents/{waiting.IncidentId}").ToString();

            await SignInAsync(viewer, "victor", "victor's password", incidentPage);
            Assert.Contains("victor (viewer)", await viewer.Locator("#user").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("waits for approval by any operator", await viewer.Locator("#approval").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await viewer.GetByRole(AriaRole.Button, new() { Name = "Approve" }).CountAsync());
            var refused = await viewer.EvaluateAsync<int>(
                "async ([id, token]) => (await fetch(`/api/v1/decisions/${id}/approve`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: '{}' })).status",
                new[] { waiting.Id, await viewer.Locator("form.who input[type=hidden]").GetAttributeAsync("value") ?? "" });
            Assert.Equal(403, refused);

            await SignInAsync(operator_, "olivia", "olivia's password", incidentPage);
            await operator_.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await operator_.WaitForURLAsync(incidentPage);
            Assert.True(await session.UntilAsync(async () => (await decisions.GetAsync(waiting.Id, CancellationToken.None))!.Status == Core.Decisions.DecisionStatus.Approved));

            var approved = (await decisions.GetAsync(waiting.Id, CancellationToken.None))!;
            Assert.Equal(("olivia", Core.Decisions.DecisionStatus.Approved), (approved.DecidedBy, approved.Status));

            // The run completes and the open page shows it without a reload.
            var runs = medic.Services.GetRequiredService<IRunStore>();
            Assert.True(await session.UntilAsync(async () => (await runs.ListByIncidentAsync(waiting.IncidentId, CancellationToken.None)).Any(r => r.FinishedAt is not null)), "the run finished");

            await operator_.Locator("#timeline li", new() { HasText = "k8s-pod-oom-restart-v1: succeeded" }).First.WaitForAsync(new() { Timeout = 15_000 });
            Assert.Contains("approved by olivia", await operator_.Locator("#timeline").InnerTextAsync(), StringComparison.Ordinal);

            // Operators say whether it was real; the detectors' precision learns from it.
            Assert.Equal(0, await viewer.GetByRole(AriaRole.Button, new() { Name = "A false alarm" }).CountAsync());
            await operator_.GetByRole(AriaRole.Button, new() { Name = "A real incident" }).ClickAsync();
            await operator_.Locator("#timeline li", new() { HasText = "olivia: a real incident" }).First.WaitForAsync(new() { Timeout = 15_000 });
        }
        finally
        {
            await ConsoleSession.ScreenshotAsync(viewer, "console-viewer.png");
            await ConsoleSession.ScreenshotAsync(operator_, "console-operator.png");
            output.WriteLine(session.Console.ToString());
        }
    }

    [Fact]
    public async Task An_admin_engages_the_kill_switch_from_the_safety_page_and_the_next_action_is_blocked()
    {
        await using var session = await ConsoleSession.StartAsync(options => options.ConfigureServer = server => server.Auth = new AuthOptions
        {
            Users = [new LocalUser("ada", Passwords.Hash("ada's password", iterations: 1_000), Role.Admin), new LocalUser("olivia", Passwords.Hash("olivia's password", iterations: 1_000), Role.Operator)],
        });
        var medic = session.Medic;
        var page = await session.PageAsync();
        var operatorPage = await session.PageAsync();
        try
        {
            var safety = new Uri(medic.Address, "/safety").ToString();
            await SignInAsync(operatorPage, "olivia", "olivia's password", safety);
            Assert.Equal(0, await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Engage the kill switch" }).CountAsync());

            await SignInAsync(page, "ada", "ada's password", safety);
            await page.GetByLabel("Reason").FillAsync("game day: hands off");
            await page.GetByRole(AriaRole.Button, new() { Name = "Engage the kill switch" }).ClickAsync();

            // The form posts back to the page it is on, so the address says nothing: wait for the new heading.
            await Assertions.Expect(page.Locator("#killswitch h2")).ToContainTextAsync("Kill switch: ENGAGED");
            Assert.Contains("engaged by ada", await page.Locator("#killswitch").InnerTextAsync(), StringComparison.Ordinal);

            // A bad deploy's rollback would run on its own (L2): with the switch engaged it is recorded as blocked, and nothing runs.
            await session.StepsAsync(TimeSpan.FromMinutes(30));
            medic.Simulator.Inject(FaultKinds.BadDeploy);
            var decisions = medic.Services.GetRequiredService<IDecisionStore>();
            var incidents = medic.Services.GetRequiredService<IIncidentStore>();
            Core.Decisions.Decision? blocked = null;
            for (var i = 0; i < 120 && blocked is null; i++)
            {
                await session.StepsAsync(TimeSpan.FromSeconds(10));
                foreach (var incident in await incidents.ListAsync(activeOnly: false, limit: 10, CancellationToken.None))
                {
                    blocked ??= (await decisions.ListByIncidentAsync(incident.Id, CancellationToken.None)).FirstOrDefault(d => d.PlaybookId is not null);
                }
            }

            Assert.Equal(Core.Decisions.DecisionStatus.Blocked, blocked?.Status);
            Assert.Empty(await medic.Services.GetRequiredService<IRunStore>().ListRecentAsync(DateTimeOffset.MinValue, CancellationToken.None));
        }
        finally
        {
            await ConsoleSession.ScreenshotAsync(page, "console-killswitch.png");
            output.WriteLine(session.Console.ToString());
        }
    }

    private static async Task SignInAsync(IPage page, string name, string password, string then)
    {
        await page.GotoAsync(then);
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        // Waiting starts before the click, so a fast redirect cannot slip past it (a wait begun after
        // arrival once waited for a commit already gone); the page must be parsed, so its forms are whole,
        // but need not have fired "load" (a loaded 2-core CI machine once took over 30 s to).
        var arrived = page.WaitForURLAsync(then, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await arrived;
    }
}
