using System.Net;
using System.Text.Json;
using Cib.Grains.Interfaces;

namespace Cib.Console.Tests;

/// <summary>
/// The web console driven in headless Chromium, as investigators, reviewers, enforcement and admins use it; what
/// the page shows is checked against what the API answers for the same question.
/// </summary>
public sealed class ConsoleTests(ConsoleSilo silo) : IClassFixture<ConsoleSilo>
{
    private Task<JsonElement> RunAsync(string scenario, string role, object? args = null) => BrowserDriver.RunAsync(silo.Address, scenario, silo.KeyOf[role], args);

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();

    /// <summary>Nothing went wrong on the page, and it fetched nothing from anywhere but the silo.</summary>
    private static void PageWasClean(JsonElement seen)
    {
        Assert.Empty(Strings(seen, "problems"));
        Assert.Empty(Strings(seen, "foreign"));
    }

    private static (string Network, string Account, string DecidedBy)[] Rows(JsonElement takedowns) =>
        takedowns.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("network").GetString()!, r.GetProperty("account").GetString()!, r.GetProperty("decidedBy").GetString()!)).ToArray();

    [Fact]
    public async Task A_reviewer_reads_a_network_and_the_evidence_behind_an_edge_confirms_a_network_and_the_takedown_list_report_and_audit_show_it()
    {
        var top = silo.Top;
        var before = await RunAsync("takedowns", Roles.Enforcement);
        Assert.Equal(["Takedown list"], Strings(before, "nav"));
        Assert.DoesNotContain(Rows(before), r => r.Network == silo.Unlisted);

        var seen = await RunAsync("review", Roles.Reviewer, new { network = top.Summary.Id, confirm = silo.Unlisted });
        PageWasClean(seen);
        Assert.Equal("reviewer", seen.GetProperty("who").GetString());
        Assert.Equal(["Networks", "Accounts", "Target search"], Strings(seen, "nav"));
        Assert.Equal((await silo.Api.ListNetworksAsync(limit: 100)).Count, seen.GetProperty("listed").GetInt32());
        var sizes = Strings(seen, "smallestFirst").Select(int.Parse).ToArray();
        Assert.Equal(sizes.Order(), sizes);

        // The graph: every member, every drawn edge, marks on the labelled and the exempted member, thickness by weight.
        var graph = seen.GetProperty("graph");
        Assert.Equal(top.Members.Count, graph.GetProperty("nodes").GetInt32());
        Assert.Equal(top.TopEdges.Count, graph.GetProperty("edges").GetInt32());
        Assert.Equal([silo.Labelled], Strings(graph, "labelled"));
        Assert.Equal([silo.Exempted], Strings(graph, "exempt"));
        var widths = graph.GetProperty("widths").EnumerateArray().Select(w => w.GetDouble()).ToArray();
        if (top.TopEdges.Max(e => e.Weight) > top.TopEdges.Min(e => e.Weight))
        {
            Assert.True(widths.Max() > widths.Min(), "edges of different weights are drawn equally thick");
        }
        Assert.Contains(top.Summary.DominantKind, seen.GetProperty("legend").GetString(), StringComparison.Ordinal);

        // The evidence behind the clicked edge is the API's, target by target and time by time.
        var clicked = seen.GetProperty("clicked");
        var edge = Assert.Single(top.TopEdges, e => e.A == clicked.GetProperty("a").GetString() && e.B == clicked.GetProperty("b").GetString());
        Assert.Equal($"{edge.A} and {edge.B}", seen.GetProperty("pair").GetString());
        var rows = seen.GetProperty("evidence").EnumerateArray().ToArray();
        Assert.Equal(edge.Evidence.Count, rows.Length);
        Assert.NotEmpty(rows);
        foreach (var (row, sample) in rows.Zip(edge.Evidence))
        {
            Assert.Equal(JsonNamingPolicy.KebabCaseLower.ConvertName(sample.Kind.ToString()), row.GetProperty("kind").GetString());
            Assert.Equal(sample.TargetKey, row.GetProperty("target").GetString());
            Assert.Equal(sample.TimeA.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("timeA").GetString());
            Assert.Equal(sample.TimeB.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("timeB").GetString());
        }

        // The timeline plots every action the API returns for the network.
        var timeline = await silo.Api.GetTimelineAsync(top.Summary.Id, 20_000);
        Assert.Equal(timeline.Points.Count, seen.GetProperty("timelinePoints").GetInt32());
        Assert.Equal(timeline.Points.Count, seen.GetProperty("plotted").GetInt32());
        Assert.Equal(top.Explanation.TopFeatures.Count, seen.GetProperty("topFeatures").GetInt32());

        Assert.Contains("confirmed", seen.GetProperty("status").GetString(), StringComparison.Ordinal);
        var decided = (await silo.Api.GetNetworkAsync(silo.Unlisted))!;
        Assert.Equal(ReviewStatus.Confirmed, decided.Summary.Review);
        Assert.Contains("console reviewer", decided.Decisions!.Single().Reviewer, StringComparison.Ordinal);
        Assert.Equal(TakedownActions.Restrict, decided.Decisions!.Single().Action);

        var after = await RunAsync("takedowns", Roles.Enforcement);
        PageWasClean(after);
        var listed = Rows(after).Where(r => r.Network == silo.Unlisted).ToArray();
        Assert.Equal(decided.Members.Order(), listed.Select(r => r.Account).Order());
        Assert.All(listed, r => Assert.Contains("console reviewer", r.DecidedBy, StringComparison.Ordinal));
        Assert.Equal(Rows(before).Length + listed.Length, Rows(after).Length);
        Assert.Equal((await silo.Api.GetTakedownsAsync(0, 100_000)).Entries.Count, Rows(after).Length);

        // The admin's transparency report counts the confirmed network, as the API reports it.
        var report = await RunAsync("report", Roles.Admin);
        PageWasClean(report);
        var now = DateTimeOffset.UtcNow;
        var expected = await silo.Api.GetTransparencyReportAsync(now.AddDays(-30), now.AddDays(1));
        Assert.Contains(silo.Unlisted, Strings(report, "rows"));
        Assert.Equal(expected.NetworksActioned, report.GetProperty("networks").GetInt32());
        Assert.Equal(expected.AccountsActioned, report.GetProperty("accounts").GetInt32());
        Assert.Equal(expected.Networks.Select(n => n.Id).Order(), Strings(report, "rows").Order());

        // And the admin's audit log, verified, holds the confirmation.
        var audit = await RunAsync("audit", Roles.Admin);
        PageWasClean(audit);
        Assert.Contains("Audit log", Strings(audit, "nav"));
        Assert.False(audit.GetProperty("forbidden").GetBoolean());
        Assert.StartsWith("Verified", audit.GetProperty("verification").GetString(), StringComparison.Ordinal);
        var entries = await silo.Api.GetAuditAsync(0, 10_000);
        Assert.Equal(entries.Select(e => e.Action), Strings(audit, "actions").Reverse());
        Assert.Contains(entries, e => e.Action == "network.confirmed" && e.Subject == silo.Unlisted && e.Actor.Contains("console reviewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_account_page_shows_the_accounts_features_history_and_network()
    {
        var account = silo.Top.Members[2];
        var seen = await RunAsync("account", Roles.Investigator, new { account });
        PageWasClean(seen);
        var view = (await silo.Api.GetAccountAsync(account))!;
        Assert.Equal(view.Features.Actions.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.GetProperty("actions").GetString());
        Assert.Equal(Math.Min(500, (await silo.Api.GetHistoryAsync(account, 500)).Count), seen.GetProperty("historyRows").GetInt32());
        Assert.True(seen.GetProperty("historyRows").GetInt32() > 0);
        Assert.Equal(silo.Top.Summary.Id, seen.GetProperty("network").GetString());
    }

    [Fact]
    public async Task Target_search_lists_the_networks_that_pushed_a_target()
    {
        var target = silo.Top.Targets!.First();
        var query = target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var seen = await RunAsync("targets", Roles.Investigator, new { query });
        PageWasClean(seen);
        var expected = (await silo.Api.SearchTargetsAsync(query)).Select(h => h.NetworkId).Order().ToArray();
        Assert.Contains(silo.Top.Summary.Id, expected);
        Assert.Equal(expected, Strings(seen, "networks").Order());
    }

    [Theory]
    [InlineData(Roles.Investigator)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Enforcement)]
    [InlineData(Roles.Ingest)]
    public async Task Keys_without_the_admin_role_get_no_audit_log(string role)
    {
        var seen = await RunAsync("audit", role);
        PageWasClean(seen);
        Assert.DoesNotContain("Audit log", Strings(seen, "nav"));
        Assert.DoesNotContain("Transparency report", Strings(seen, "nav"));
        Assert.True(seen.GetProperty("forbidden").GetBoolean());
        Assert.Empty(Strings(seen, "actions"));
    }

    [Fact]
    public async Task Readers_without_the_reviewer_role_get_no_review_form()
    {
        var seen = await RunAsync("readonly", Roles.Investigator, new { network = silo.Top.Summary.Id });
        PageWasClean(seen);
        Assert.Equal(0, seen.GetProperty("reviewForm").GetInt32());
        Assert.Equal(1, seen.GetProperty("hiddenNote").GetInt32());
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_the_reason_and_not_kept()
    {
        var seen = await BrowserDriver.RunAsync(silo.Address, "badKey", "unused", new { key = "cib_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
        Assert.Contains("unknown API key", seen.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("stored").ValueKind);
    }

    [Fact]
    public async Task Markup_posted_by_accounts_is_shown_as_text_and_never_run()
    {
        var seen = await RunAsync("hostileText", Roles.Investigator, new { network = silo.HostileNetwork });
        PageWasClean(seen);
        var texts = seen.GetProperty("evidence").EnumerateArray().Select(r => r.GetProperty("text").GetString()).ToArray();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.StartsWith(ConsoleSilo.HostileMarkup, t, StringComparison.Ordinal));
        Assert.Equal(0, seen.GetProperty("images").GetInt32());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("injected").ValueKind);
    }

    [Fact]
    public async Task The_silo_serves_the_console_with_a_content_security_policy_and_tells_a_key_who_it_is()
    {
        using var http = new HttpClient { BaseAddress = silo.Address };
        using var page = await http.GetAsync("console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var root = await http.GetAsync("/");
        Assert.Equal("/console/", root.RequestMessage!.RequestUri!.AbsolutePath);

        http.DefaultRequestHeaders.Authorization = new("Bearer", silo.KeyOf[Roles.Reviewer]);
        var me = JsonDocument.Parse(await http.GetStringAsync("v1/me")).RootElement;
        Assert.Equal("console reviewer", me.GetProperty("name").GetString());
        Assert.Equal([Roles.Reviewer], Strings(me, "roles"));
    }
}
