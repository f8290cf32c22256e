using Cib.Detection.Signals;
using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

public sealed class CampaignTests
{
    [Fact]
    public void Campaigns_have_the_configured_sizes_and_cycle_through_kinds()
    {
        var result = DefaultRun.Result;

        Assert.Equal(6, result.Campaigns.Count);
        Assert.Equal(
            [CampaignKind.CoordinatedRepost, CampaignKind.LinkPushing, CampaignKind.CopyPasteText, CampaignKind.HashtagPush, CampaignKind.CoordinatedRepost, CampaignKind.LinkPushing],
            result.Campaigns.Select(c => c.Kind));
        Assert.All(result.Campaigns, c => Assert.InRange(c.Accounts.Count, 15, 40));
        Assert.All(result.Campaigns, c => Assert.InRange(result.CampaignEvents.Count(e => e.CampaignId == c.Id), 10, 20));
        Assert.All(result.Campaigns.SelectMany(c => c.Accounts), a => Assert.NotNull(result.CampaignOf(a)));
    }

    [Fact]
    public void Every_member_acts_on_the_campaign_target_within_the_jitter_of_most_events()
    {
        var result = DefaultRun.Result;
        var jitter = DefaultRun.Options.CampaignJitter;

        foreach (var campaign in result.Campaigns)
        {
            var events = result.CampaignEvents.Where(e => e.CampaignId == campaign.Id).ToList();
            var acted = campaign.Accounts.ToDictionary(a => a, _ => 0, StringComparer.Ordinal);
            foreach (var e in events)
            {
                var actors = DefaultRun.ActingOn(result, campaign, e, jitter).Select(s => s.Account).ToHashSet(StringComparer.Ordinal);
                // The author of an amplified post acts on it by posting it, before the wave.
                actors.UnionWith(result.Signals.Where(s => s.Kind == SignalKind.Post && s.Id == e.Target).Select(s => s.Account));
                Assert.True(actors.Count >= 2, $"{campaign.Id} event at {e.Start} has fewer than two members acting");
                foreach (var actor in actors)
                {
                    acted[actor]++;
                }
            }
            Assert.All(acted, pair => Assert.True(pair.Value >= 0.6 * events.Count,
                $"{pair.Key} of {campaign.Id} acted in {pair.Value} of {events.Count} events"));
        }
    }

    [Fact]
    public void Only_members_act_on_campaign_targets()
    {
        var result = DefaultRun.Result;
        var owners = result.Campaigns.Where(c => c.Kind != CampaignKind.CopyPasteText)
            .SelectMany(c => c.Targets.Select(t => (Target: t, Campaign: c.Id)))
            .ToDictionary(p => p.Target, p => p.Campaign, StringComparer.Ordinal);

        var strangers = result.Signals.Where(s => s.Kind != SignalKind.Post && owners.TryGetValue(s.Target, out var owner) && result.CampaignOf(s.Account) != owner);

        Assert.Empty(strangers);
    }

    [Fact]
    public void Copy_paste_variants_differ_as_posted_but_match_after_normalisation()
    {
        var result = DefaultRun.Result;
        var campaign = result.Campaigns.First(c => c.Kind == CampaignKind.CopyPasteText);

        foreach (var e in result.CampaignEvents.Where(e => e.CampaignId == campaign.Id))
        {
            var window = result.Signals.Where(s => s.Kind == SignalKind.Post && campaign.Accounts.Contains(s.Account)
                && s.Timestamp >= e.Start && s.Timestamp <= e.Start + DefaultRun.Options.CampaignJitter).ToList();
            var copies = window.Where(s => DefaultRun.Normalise(s.Text!) == DefaultRun.Normalise(e.Target)).ToList();

            Assert.True(copies.Count >= 0.6 * campaign.Accounts.Count);
            Assert.True(copies.Select(s => s.Text).Distinct(StringComparer.Ordinal).Count() > copies.Count / 2,
                "most copies should differ before normalisation");
        }
    }

    [Fact]
    public void Campaign_accounts_also_act_organically_under_camouflage()
    {
        var result = DefaultRun.Result;

        var byAccount = result.Signals.ToLookup(s => s.Account, StringComparer.Ordinal);

        var withOrganicActions = result.Campaigns.SelectMany(c => c.Accounts).Count(a => OutsideCampaignWork(result, byAccount, a).Any());

        Assert.True(withOrganicActions >= 0.8 * result.Campaigns.Sum(c => c.Accounts.Count));
    }

    [Fact]
    public void Without_camouflage_campaign_accounts_only_do_campaign_work()
    {
        var result = PlatformSimulator.Run(new SimulationOptions { OrganicAccounts = 600, Camouflage = false, ViralBursts = 0, NewsBursts = 0, FanCommunities = 0 });

        var byAccount = result.Signals.ToLookup(s => s.Account, StringComparer.Ordinal);

        Assert.NotEmpty(result.Campaigns);
        Assert.All(result.Campaigns.SelectMany(c => c.Accounts), a => Assert.Empty(OutsideCampaignWork(result, byAccount, a)));
    }

    [Fact]
    public void Lower_participation_means_fewer_members_per_event()
    {
        var options = new SimulationOptions { OrganicAccounts = 300, Campaigns = 4, ViralBursts = 0, NewsBursts = 0, FanCommunities = 0, Camouflage = false };
        var full = PlatformSimulator.Run(options with { Participation = 1 });
        var third = PlatformSimulator.Run(options with { Participation = 0.3 });

        var ratio = CampaignSignals(third) / (double)CampaignSignals(full);

        Assert.InRange(ratio, 0.2, 0.45);
    }

    private static int CampaignSignals(SimulationResult result) =>
        result.Signals.Count(s => s.Kind is SignalKind.Post or SignalKind.Repost && result.IsCampaignAccount(s.Account));

    /// <summary>Signals of the account outside every event window of its campaign, other than the
    /// amplified posts it authored for a coordinated repost.</summary>
    private static IEnumerable<Signal> OutsideCampaignWork(SimulationResult result, ILookup<string, Signal> byAccount, string account)
    {
        var campaign = result.CampaignOf(account);
        var windows = result.CampaignEvents.Where(e => e.CampaignId == campaign).ToList();
        var targets = result.Campaigns.First(c => c.Id == campaign).Targets.ToHashSet(StringComparer.Ordinal);
        // Likes that follow a coordinated repost may trail the window by a few seconds.
        var slack = DefaultRun.Options.CampaignJitter + TimeSpan.FromSeconds(10);
        return byAccount[account].Where(s => !windows.Any(e => s.Timestamp >= e.Start && s.Timestamp <= e.Start + slack)
            && !targets.Contains(s.Id.Split('#')[0]));
    }
}
