using Cib.Detection.Signals;
using Cib.Grains.Interfaces;

namespace Cib.Console.Tests;

/// <summary>
/// A silo whose reviewers have decided enough networks, bystanders excluded, for a member layer to be trained, and a
/// new group of four look-alikes of the confirmed members and two bystanders that the next sweep scores.
/// </summary>
public sealed class MemberLayerSilo() : SiloFixture("console-members")
{
    private static readonly DateTimeOffset Day = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    public string InvestigatorKey { get; private set; } = null!;

    /// <summary>The new group's network, as the API gives it after the sweep.</summary>
    public NetworkSnapshot Fresh { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await StartAsync(o => o.SweepPeriod = TimeSpan.FromHours(1));
        InvestigatorKey = await KeyAsync("member investigator", [Roles.Investigator]);

        var signals = new List<Signal>();
        for (var g = 0; g < 24; g++)
        {
            var confirmed = g % 2 == 0;
            signals.AddRange(Lockstep($"c{g}-", confirmed ? 6 : 3, a => confirmed && a < 4, Day.AddMinutes(g * 9)));
        }
        Assert.Equal(0, (await Api.IngestAsync(signals)).Rejected);
        await Api.SweepAsync();
        for (var g = 0; g < 24; g++)
        {
            var network = (await Api.GetAccountAsync($"c{g}-0"))!.NetworkId!;
            await Api.DecideAsync(network, g % 2 == 0
                ? new ReviewRequest("confirm", "four accounts in lockstep", Exclude: [$"c{g}-4", $"c{g}-5"])
                : new ReviewRequest("dismiss", "friends"));
        }
        await Api.SweepAsync();
        Assert.Equal(0, (await Api.IngestAsync(Lockstep("fresh-", 6, a => a < 4, Day.AddHours(8)))).Rejected);
        await Api.SweepAsync();
        Fresh = (await Api.GetNetworkAsync((await Api.GetAccountAsync("fresh-0"))!.NetworkId!))!;
    }

    /// <summary>
    /// Accounts reposting five posts in lockstep, an hour apart; each account's first signal carries its counts, those of a
    /// spam-like account (following thousands, followed by a few) or an ordinary one.
    /// </summary>
    private static IEnumerable<Signal> Lockstep(string prefix, int accounts, Func<int, bool> spamLike, DateTimeOffset start)
    {
        for (var post = 0; post < 5; post++)
        {
            for (var a = 0; a < accounts; a++)
            {
                var profile = post > 0 ? null : spamLike(a)
                    ? new AccountProfile(null, null, null, Followers: 10 + (3 * a), Following: 2000 + (90 * a))
                    : new AccountProfile(null, null, null, Followers: 3000 + (200 * a), Following: 120 + (9 * a));
                yield return new Signal($"{prefix}{post}-{a}", $"{prefix}{a}", SignalKind.Repost, $"{prefix}post{post}",
                    start.AddHours(post).AddSeconds(a * 4), Profile: profile);
            }
        }
    }
}

/// <summary>The member layer as an investigator sees it on a network's page.</summary>
public sealed class MemberLayerConsoleTests(MemberLayerSilo silo) : IClassFixture<MemberLayerSilo>
{
    [Fact]
    public async Task A_network_page_ranks_members_by_the_member_layer_and_marks_those_held_back()
    {
        var scores = silo.Fresh.MemberScores;
        Assert.NotNull(scores);
        var threshold = silo.Fresh.MemberThreshold!.Value;
        var seen = await BrowserDriver.RunAsync(silo.Address, "members", silo.InvestigatorKey, new { network = silo.Fresh.Summary.Id });
        Assert.Empty(seen.GetProperty("problems").EnumerateArray());
        Assert.Contains("held back from the model's takedown list", seen.GetProperty("note").GetString(), StringComparison.Ordinal);
        var shown = seen.GetProperty("members").EnumerateArray()
            .Select(m => (Account: m.GetProperty("account").GetString()!, Score: double.Parse(m.GetProperty("score").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Held: m.GetProperty("held").GetBoolean()))
            .ToList();
        // Every member, highest probability first, each with the API's probability, held back exactly when below the threshold.
        Assert.Equal(silo.Fresh.Members.Order(StringComparer.Ordinal), shown.Select(m => m.Account).Order(StringComparer.Ordinal));
        Assert.Equal(shown.Select(m => m.Score).OrderDescending(), shown.Select(m => m.Score));
        Assert.All(shown, m => Assert.Equal(scores[m.Account], m.Score, 9));
        Assert.All(shown, m => Assert.Equal(scores[m.Account] < threshold, m.Held));
        Assert.Equal(["fresh-4", "fresh-5"], shown.Where(m => m.Held).Select(m => m.Account).Order(StringComparer.Ordinal));
    }
}
