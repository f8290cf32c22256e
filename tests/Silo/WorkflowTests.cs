using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cib.Grains.Interfaces;
using Cib.Silo;
using Cib.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cib.Silo.Tests;

/// <summary>Investigators, reviewers, enforcement and admins working one case, over HTTP.</summary>
public sealed class WorkflowTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cib-workflow-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private readonly Dictionary<string, HttpClient> _as = [];

    public async Task InitializeAsync()
    {
        _app = CibSiloHost.Build(new SiloSettings { DataDirectory = _dir, Urls = "http://127.0.0.1:0" });
        await _app.StartAsync();
        var keys = _app.Services.GetRequiredService<ApiKeyStore>();
        foreach (var role in Roles.All)
        {
            var http = new HttpClient { BaseAddress = _app.Address() };
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await keys.CreateAsync(role + "-person", [role], "tests")).Key);
            _as[role] = http;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var h in _as.Values)
        {
            h.Dispose();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    /// <summary>Accounts that repost the same posts within seconds, one post an hour from <paramref name="start"/>.</summary>
    private static IEnumerable<string> Group(string prefix, int accounts, string[] posts, DateTimeOffset start) =>
        posts.SelectMany((p, i) => Enumerable.Range(0, accounts).Select(a =>
            $$"""{"id":"{{prefix}}-{{p}}-{{a}}","account":"{{prefix}}{{a}}","kind":"repost","target":"{{p}}","timestamp":"{{start.AddHours(i).AddSeconds(a * 3):O}}"}"""));

    private async Task<T> Ok<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, CibJson.Options)!;
    }

    private async Task IngestAndSweepAsync(IEnumerable<string> lines)
    {
        using var content = new StringContent(string.Join("\n", lines), Encoding.UTF8, "application/x-ndjson");
        var ingest = await Ok<IngestResult>(await _as[Roles.Ingest].PostAsync("v1/signals", content));
        Assert.Equal(0, ingest.Rejected);
        await Ok<SweepReport>(await _as[Roles.Admin].PostAsync("v1/sweeps", null));
    }

    private async Task<string> NetworkOfAsync(string account) =>
        (await Ok<AccountView>(await _as[Roles.Investigator].GetAsync($"v1/accounts/{account}"))).NetworkId!;

    [Fact]
    public async Task A_case_from_detection_to_report_with_labels_exemptions_decisions_acks_appeals_and_recidivism()
    {
        string[] posts = ["p0", "p1", "p2", "p3", "p4", "p5"];
        await IngestAndSweepAsync(Group("a", 5, posts, Day).Concat(Group("b", 4, ["q0", "q1", "q2", "q3", "q4"], Day.AddMinutes(30))));
        var networkA = await NetworkOfAsync("a0");
        var networkB = await NetworkOfAsync("b0");
        Assert.NotEqual(networkA, networkB);

        var admin = _as[Roles.Admin];
        await Ok<AccountMarks>(await admin.PutAsJsonAsync("v1/accounts/a0/labels", new LabelRequest([AccountLabels.StateControlledMedia], "registered state broadcaster"), CibJson.Options));
        var exemption = await Ok<Exemption>(await admin.PostAsJsonAsync("v1/exemptions", new ExemptionRequest("a1", null, "court order pending review", "legal team", DateTimeOffset.UtcNow.AddDays(30)), CibJson.Options));
        using (var secret = await admin.PostAsJsonAsync("v1/exemptions", new ExemptionRequest("a3", null, "", "someone", DateTimeOffset.UtcNow.AddDays(30)), CibJson.Options))
        {
            Assert.Equal(HttpStatusCode.BadRequest, secret.StatusCode);
            Assert.Contains("reason", await secret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Investigators see everything, exemptions included.
        var view = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{networkA}"));
        Assert.Contains("a1", view.Members);
        Assert.Contains(view.Marks!, m => m.Account == "a1" && m.Exemptions.Single().Id == exemption.Id);
        Assert.Contains(view.Marks!, m => m.Account == "a0" && m.Labels.Contains(AccountLabels.StateControlledMedia));

        var reviewer = _as[Roles.Reviewer];
        using (var noReason = await reviewer.PostAsJsonAsync($"v1/networks/{networkA}/decisions", new ReviewRequest("confirm", " "), CibJson.Options))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }
        var decided = await Ok<NetworkSnapshot>(await reviewer.PostAsJsonAsync($"v1/networks/{networkA}/decisions",
            new ReviewRequest("confirm", "synchronised reposting of one campaign's posts", TakedownActions.Restrict, Exclude: ["a4"]), CibJson.Options));
        Assert.Equal(ReviewStatus.Confirmed, decided.Summary.Review);
        Assert.Single(decided.Decisions!);

        var enforcement = _as[Roles.Enforcement];
        var page = await Ok<TakedownPage>(await enforcement.GetAsync("v1/takedowns?after=0"));
        var forA = page.Entries.Where(e => e.NetworkId == networkA).ToArray();
        var acting = forA.Where(e => e.Kind == TakedownKinds.Takedown && !e.Withheld).ToArray();
        Assert.Equal(["a0", "a2", "a3"], acting.Where(e => e.DecidedBy.Contains("reviewer-person", StringComparison.Ordinal)).Select(e => e.Account).Order());
        Assert.All(acting.Where(e => e.DecidedBy.Contains("reviewer", StringComparison.Ordinal)), e => Assert.Equal(TakedownActions.Restrict, e.Action));
        Assert.DoesNotContain(forA, e => e.Account == "a4" && e.Kind == TakedownKinds.Takedown && e.DecidedBy.Contains("reviewer", StringComparison.Ordinal));
        var withheld = Assert.Single(forA, e => e.Withheld);
        Assert.Equal(("a1", exemption.Id), (withheld.Account, withheld.ExemptionId));
        Assert.Contains(AccountLabels.StateControlledMedia, acting.First(e => e.Account == "a0").Labels!);
        Assert.All(acting, e => Assert.False(string.IsNullOrEmpty(e.EvidenceSummary)));

        var ack = await enforcement.PostAsJsonAsync("v1/takedowns/ack", new AcknowledgeRequest(acting.Select(e => e.Cursor).ToArray()), CibJson.Options);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        using (var unknown = await enforcement.PostAsJsonAsync("v1/takedowns/ack", new AcknowledgeRequest([999_999]), CibJson.Options))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("999999", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var acked = await Ok<TakedownPage>(await enforcement.GetAsync("v1/takedowns?after=0"));
        Assert.All(acked.Entries.Where(e => acting.Any(a => a.Cursor == e.Cursor)), e => Assert.Contains("enforcement-person", e.Acknowledged!.By, StringComparison.Ordinal));

        // An appeal is upheld for a2; a second reversal has nothing to reverse.
        await Ok<object>(await enforcement.PostAsJsonAsync("v1/takedowns/reversals", new ReversalRequest("a2", networkA, "appeal upheld: a news outlet's staff"), CibJson.Options));
        using (var again = await enforcement.PostAsJsonAsync("v1/takedowns/reversals", new ReversalRequest("a2", networkA, "again"), CibJson.Options))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        // Network B is dismissed: whatever the model listed is reinstated, and the model does not list it again.
        await Ok<NetworkSnapshot>(await reviewer.PostAsJsonAsync($"v1/networks/{networkB}/decisions", new ReviewRequest("dismiss", "a fan club's watch party"), CibJson.Options));

        // New accounts take up network A's pattern later: a new network, linked to A.
        await IngestAndSweepAsync(Group("c", 5, posts, Day.AddDays(1)));
        var networkC = await NetworkOfAsync("c0");
        Assert.NotEqual(networkA, networkC);
        var c = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{networkC}"));
        Assert.Equal(networkA, c.Summary.RecidivismOf);

        var all = await Ok<TakedownPage>(await enforcement.GetAsync("v1/takedowns?after=0"));
        Assert.DoesNotContain(all.Entries, e => e.NetworkId == networkB && e.Kind == TakedownKinds.Takedown && e.Cursor > acked.NextCursor);
        Assert.All(all.Entries.Where(e => e.NetworkId == networkB && e.Kind == TakedownKinds.Takedown && !e.Withheld),
            t => Assert.Contains(all.Entries, r => r.Kind == TakedownKinds.Reversal && r.Account == t.Account && r.NetworkId == networkB));

        var report = await Ok<TransparencyReport>(await admin.GetAsync($"v1/reports/transparency?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Equal(3, report.AccountsByAction[TakedownActions.Restrict]);
        Assert.Equal(1, report.ActionedAccountsByLabel[AccountLabels.StateControlledMedia]);
        Assert.Equal(1, report.WithheldEntries);
        Assert.Equal(exemption.Id, Assert.Single(report.Exemptions).Id);
        Assert.True(report.Reversals >= 1);
        Assert.Contains("appeal upheld: a news outlet's staff", report.ReversalReasons);
        Assert.Contains(report.Networks, n => n.Id == networkA && n.Review == ReviewStatus.Confirmed);

        var verification = await Ok<AuditVerification>(await admin.GetAsync("v1/audit/verify"));
        Assert.True(verification.Ok, verification.Problem);
        var audit = await Ok<List<AuditEntry>>(await admin.GetAsync("v1/audit?after=0&limit=1000"));
        foreach (var action in new[] { "labels.set", "exemption.created", "network.confirmed", "network.dismissed", "takedown.withheld", "takedown.acknowledged", "reversal.listed", "network.recidivism" })
        {
            Assert.True(audit.Any(e => e.Action == action), $"no audit entry {action}; have {string.Join(", ", audit.Select(e => e.Action).Distinct())}");
        }
    }

    [Fact]
    public async Task Investigators_filter_networks_see_timelines_and_histories_search_targets_and_export_graphs()
    {
        var links = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 4).Select(a =>
            $$"""{"id":"l{{i}}-{{a}}","account":"l{{a}}","kind":"link","target":"https://news.example/story-{{i}}?utm_source=x","timestamp":"{{Day.AddHours(i).AddSeconds(a * 4):O}}"}"""));
        await IngestAndSweepAsync(Group("a", 5, ["p0", "p1", "p2", "p3", "p4"], Day).Concat(links));
        var reader = _as[Roles.Investigator];
        var linkNetwork = await NetworkOfAsync("l0");

        var byKind = await Ok<List<NetworkSummary>>(await reader.GetAsync("v1/networks?kind=co-link"));
        Assert.Equal([linkNetwork], byKind.Select(n => n.Id));
        Assert.Empty(await Ok<List<NetworkSummary>>(await reader.GetAsync("v1/networks?minSize=5&kind=co-link")));
        Assert.Equal([linkNetwork], (await Ok<List<NetworkSummary>>(await reader.GetAsync("v1/networks?target=story-3"))).Select(n => n.Id));
        Assert.Equal(2, (await Ok<List<NetworkSummary>>(await reader.GetAsync($"v1/networks?seenAfter={Uri.EscapeDataString(Day.ToString("O"))}"))).Count);

        // A differently spelled URL finds the network through the canonical form.
        var hits = await Ok<List<TargetHit>>(await reader.GetAsync($"v1/targets?q={Uri.EscapeDataString("HTTPS://NEWS.example/story-2#top")}"));
        Assert.Equal(linkNetwork, Assert.Single(hits).NetworkId);

        var timeline = await Ok<NetworkTimeline>(await reader.GetAsync($"v1/networks/{linkNetwork}/timeline"));
        Assert.Equal(20, timeline.Points.Count);
        Assert.All(timeline.Points, p => Assert.True(p.OnEvidence));
        var history = await Ok<List<Cib.Detection.Signals.Signal>>(await reader.GetAsync("v1/accounts/l2/history"));
        Assert.Equal(5, history.Count);
        Assert.True(history.Zip(history.Skip(1)).All(x => x.First.Timestamp <= x.Second.Timestamp));

        var gexf = System.Xml.Linq.XDocument.Parse(await reader.GetStringAsync($"v1/networks/{linkNetwork}/export?format=gexf"));
        Assert.Equal(4, gexf.Descendants().Count(e => e.Name.LocalName == "node"));
        var graphml = System.Xml.Linq.XDocument.Parse(await reader.GetStringAsync("v1/graph/export?format=graphml"));
        Assert.Equal(9, graphml.Descendants().Count(e => e.Name.LocalName == "node"));
        var csv = await reader.GetStringAsync("v1/graph/export?format=csv");
        Assert.Equal(1 + 6 + 10, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        using var bad = await reader.GetAsync("v1/graph/export?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>Ordinary pairs that co-repost twice: the reference the anomaly model learns from.</summary>
    private static IEnumerable<string> ReferencePairs() =>
        Enumerable.Range(0, 10).SelectMany(k => Group($"o{k}x", 2, [$"o{k}p0", $"o{k}p1"], Day.AddHours(6).AddMinutes(k * 5)));

    /// <summary>A reviewer decides the network of each group g (found by its account gGx0) as <paramref name="decide"/> says.</summary>
    private async Task DecideEachGroupAsync(int groups, Func<int, ReviewRequest> decide)
    {
        for (var g = 0; g < groups; g++)
        {
            var network = await NetworkOfAsync($"g{g}x0");
            await Ok<NetworkSnapshot>(await _as[Roles.Reviewer].PostAsJsonAsync($"v1/networks/{network}/decisions", decide(g), CibJson.Options));
        }
    }

    [Fact]
    public async Task Reviewers_decisions_train_a_supervised_layer_whose_quality_the_sweep_reports()
    {
        // Twelve five-account groups (reviewers confirm them) and twelve three-account groups (dismissed).
        var lines = new List<string>();
        for (var g = 0; g < 24; g++)
        {
            var size = g % 2 == 0 ? 5 : 3;
            lines.AddRange(Group($"g{g}x", size, Enumerable.Range(0, 5).Select(p => $"g{g}p{p}").ToArray(), Day.AddMinutes(g * 7)));
        }
        await IngestAndSweepAsync(lines.Concat(ReferencePairs()));
        await DecideEachGroupAsync(24, g => g % 2 == 0 ? new ReviewRequest("confirm", "five accounts in lockstep") : new ReviewRequest("dismiss", "three friends"));
        var report = await Ok<SweepReport>(await _as[Roles.Admin].PostAsync("v1/sweeps", null));
        Assert.NotNull(report.Supervised);
        Assert.Null(report.Supervised.Refusal);
        Assert.Equal((24, 12), (report.Supervised.Labels, report.Supervised.Confirmed));
        Assert.True(report.Supervised.Precision >= 0.9 && report.Supervised.Recall >= 0.9, $"{report.Supervised}");
        Assert.Contains("+sup-1:", report.ModelVersion, StringComparison.Ordinal);
        var big = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{await NetworkOfAsync("g0x0")}"));
        var small = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{await NetworkOfAsync("g1x0")}"));
        Assert.True(big.Summary.Score > 0.5 && small.Summary.Score < 0.5, $"confirmed-like {big.Summary.Score:F3}, dismissed-like {small.Summary.Score:F3}");
        Assert.NotNull(big.Explanation.SupervisedProbability);

        // Both parts of the version resolve to the archived models; the anomaly model loads and scores as the sweep did.
        var parts = big.Summary.ModelVersion.Split('+');
        Assert.Equal(2, parts.Length);
        var anomaly = await Ok<ModelRecord>(await _as[Roles.Investigator].GetAsync($"v1/models/{Uri.EscapeDataString(parts[0])}"));
        var layer = await Ok<ModelRecord>(await _as[Roles.Investigator].GetAsync($"v1/models/{Uri.EscapeDataString(parts[1])}"));
        Assert.Equal((parts[0], parts[1]), (anomaly.Version, layer.Version));
        var model = Cib.Detection.Networks.NetworkModel.FromJson(anomaly.Json);
        Assert.Equal(parts[0], model.Version);
        Assert.Equal(big.Explanation.UnsupervisedScore, model.Score([.. Cib.Detection.Networks.NetworkFeatures.Names.Select(n => big.Features[n])]).Score, 9);
        using var missing = await _as[Roles.Investigator].GetAsync("v1/models/ens-1%3A00000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>Like <see cref="Group"/>, each account's first record carrying its follower and following counts:
    /// spam-like accounts follow many and have few followers, ordinary ones the other way round.</summary>
    private static IEnumerable<string> GroupWithCounts(string prefix, int accounts, Func<int, bool> spamLike, string[] posts, DateTimeOffset start) =>
        posts.SelectMany((p, i) => Enumerable.Range(0, accounts).Select(a =>
        {
            var counts = i > 0 ? "" : spamLike(a)
                ? $$""","account_followers":{{12 + (a * 7)}},"account_following":{{1900 + (a * 130)}}"""
                : $$""","account_followers":{{2400 + (a * 170)}},"account_following":{{150 + (a * 11)}}""";
            return $$"""{"id":"{{prefix}}-{{p}}-{{a}}","account":"{{prefix}}{{a}}","kind":"repost","target":"{{p}}","timestamp":"{{start.AddHours(i).AddSeconds(a * 3):O}}"{{counts}}}""";
        }));

    [Fact]
    public async Task Reviewers_exclusions_train_a_member_layer_that_holds_bystanders_back_from_the_takedown_list()
    {
        // Twelve six-account groups of four spam-like accounts and two ordinary bystanders (confirmed, bystanders
        // excluded) and twelve three-account ordinary groups (dismissed).
        var lines = new List<string>();
        for (var g = 0; g < 24; g++)
        {
            var confirmed = g % 2 == 0;
            lines.AddRange(GroupWithCounts($"g{g}x", confirmed ? 6 : 3, a => confirmed && a < 4, [.. Enumerable.Range(0, 5).Select(p => $"g{g}p{p}")], Day.AddMinutes(g * 7)));
        }
        await IngestAndSweepAsync(lines.Concat(ReferencePairs()));
        await DecideEachGroupAsync(24, g => g % 2 == 0
            ? new ReviewRequest("confirm", "four accounts in lockstep", Exclude: [$"g{g}x4", $"g{g}x5"])
            : new ReviewRequest("dismiss", "three friends"));
        var trained = await Ok<SweepReport>(await _as[Roles.Admin].PostAsync("v1/sweeps", null));
        Assert.NotNull(trained.Members);
        Assert.Null(trained.Members.Refusal);
        Assert.Equal((12 * 6 + 12 * 3, 12 * 4), (trained.Members.Labels, trained.Members.Confirmed));
        Assert.True(trained.Members.Auc >= 0.9, $"{trained.Members}");
        var archived = await Ok<ModelRecord>(await _as[Roles.Investigator].GetAsync($"v1/models/{Uri.EscapeDataString(trained.Members.Version!)}"));
        Assert.Equal(Cib.Detection.Scoring.MemberFeatures.Names, archived.Features);

        // A new, unreviewed group like the confirmed ones: its spam-like members are listed, its bystanders held back.
        await IngestAndSweepAsync(GroupWithCounts("n", 6, a => a < 4, ["n0", "n1", "n2", "n3", "n4"], Day.AddHours(9)));
        var fresh = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{await NetworkOfAsync("n0")}"));
        Assert.NotNull(fresh.MemberScores);
        Assert.True(fresh.Summary.AboveTakedownThreshold, $"score {fresh.Summary.Score:F3}");
        Assert.All(["n0", "n1", "n2", "n3"], m => Assert.True(fresh.MemberScores[m] >= fresh.MemberThreshold, $"{m}: {fresh.MemberScores[m]}"));
        Assert.All(["n4", "n5"], m => Assert.True(fresh.MemberScores[m] < fresh.MemberThreshold, $"{m}: {fresh.MemberScores[m]}"));
        var page = await Ok<TakedownPage>(await _as[Roles.Enforcement].GetAsync("v1/takedowns?after=0&limit=1000"));
        var entries = page.Entries.Where(e => e.NetworkId == fresh.Summary.Id).ToArray();
        Assert.Equal(["n0", "n1", "n2", "n3"], entries.Where(e => !e.Withheld).Select(e => e.Account).Order());
        // The bystanders are not hidden: they are on the list as withheld, with the layer and their probability, once.
        var held = entries.Where(e => e.Withheld).OrderBy(e => e.Account, StringComparer.Ordinal).ToArray();
        Assert.Equal(["n4", "n5"], held.Select(e => e.Account));
        Assert.All(held, e => Assert.Null(e.ExemptionId));
        Assert.All(held, e => Assert.Contains($"held back by the member layer {trained.Members.Version}: probability", e.Reason, StringComparison.Ordinal));
        var again = await Ok<SweepReport>(await _as[Roles.Admin].PostAsync("v1/sweeps", null));
        Assert.Equal(2, again.MembersHeldBack);
        var after = await Ok<TakedownPage>(await _as[Roles.Enforcement].GetAsync("v1/takedowns?after=0&limit=1000"));
        Assert.Equal(2, after.Entries.Count(e => e.NetworkId == fresh.Summary.Id && e.Withheld));
        // Members a reviewer excluded when confirming stay reversed: sweeps since have neither listed nor withheld them again.
        var confirmedNetwork = await NetworkOfAsync("g0x0");
        foreach (var bystander in new[] { "g0x4", "g0x5" })
        {
            Assert.Equal(TakedownKinds.Reversal, after.Entries.Last(e => e.NetworkId == confirmedNetwork && e.Account == bystander).Kind);
        }
        Assert.Contains(after.Entries, e => e.NetworkId == confirmedNetwork && e.Account == "g0x0" && e.Kind == TakedownKinds.Takedown && !e.Withheld);

        var audit = await Ok<List<AuditEntry>>(await _as[Roles.Admin].GetAsync("v1/audit?after=0&limit=1000"));
        var heldEntry = Assert.Single(audit, e => e.Action == "takedown.held-back");
        Assert.Equal(fresh.Summary.Id, heldEntry.Subject);
        var period = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        var report = await Ok<TransparencyReport>(await _as[Roles.Admin].GetAsync($"v1/reports/transparency?{period}"));
        Assert.Equal(2, report.HeldBackByMemberLayer);
        Assert.Equal(0, report.WithheldEntries);
    }

    [Fact]
    public async Task With_too_few_decisions_the_sweep_says_why_no_supervised_layer_was_trained()
    {
        await IngestAndSweepAsync(Group("a", 5, ["p0", "p1", "p2", "p3", "p4"], Day));
        await Ok<NetworkSnapshot>(await _as[Roles.Reviewer].PostAsJsonAsync($"v1/networks/{await NetworkOfAsync("a0")}/decisions", new ReviewRequest("confirm", "lockstep"), CibJson.Options));
        var report = await Ok<SweepReport>(await _as[Roles.Admin].PostAsync("v1/sweeps", null));
        Assert.NotNull(report.Supervised?.Refusal);
        Assert.DoesNotContain("+sup", report.ModelVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_paste_evidence_shows_the_text_that_was_posted_not_only_its_hash()
    {
        var lines = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 4).Select(a =>
            $$"""{"id":"t{{i}}-{{a}}","account":"t{{a}}","kind":"post","target":"tp{{i}}-{{a}}","text":"@x{{a}} The vote on day {{i}} was rigged, share before they delete it","timestamp":"{{Day.AddHours(i).AddSeconds(a * 5):O}}"}"""));
        await IngestAndSweepAsync(lines);
        var network = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{await NetworkOfAsync("t0")}"));
        Assert.Equal("co-text", network.Summary.DominantKind);
        var keys = network.TopEdges.SelectMany(e => e.Evidence).Select(x => x.TargetKey).Distinct().ToArray();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("was rigged, share before they delete it", network.EvidenceTexts![k], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Near_duplicate_evidence_shows_both_posted_texts()
    {
        string[] endings = ["now", "today", "quickly", "please"];
        var lines = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 4).Select(a =>
            $$"""{"id":"n{{i}}-{{a}}","account":"n{{a}}","kind":"post","target":"np{{i}}-{{a}}","text":"The count in district {{i}} was stolen and every voter should share this before they hide it {{endings[a]}}","timestamp":"{{Day.AddHours(i).AddSeconds(a * 5):O}}"}"""));
        await IngestAndSweepAsync(lines);
        var network = await Ok<NetworkSnapshot>(await _as[Roles.Investigator].GetAsync($"v1/networks/{await NetworkOfAsync("n0")}"));
        var near = network.TopEdges.SelectMany(e => e.Evidence).Where(x => x.Kind == Cib.Detection.CoActivity.CoActivityKind.CoNearText).Select(x => x.TargetKey).Distinct().ToArray();
        Assert.NotEmpty(near);
        Assert.All(near, k =>
        {
            var shown = network.EvidenceTexts![k];
            Assert.Contains(" ≈ ", shown, StringComparison.Ordinal);
            Assert.Equal(2, shown.Split(" ≈ ").Count(t => t.Contains("was stolen and every voter should share this", StringComparison.Ordinal)));
        });
    }
}
