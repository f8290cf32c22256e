using System.Text.RegularExpressions;
using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

public sealed class PlatformSimulatorTests
{
    private static readonly SimulationOptions Small = new() { OrganicAccounts = 800, Campaigns = 4, ViralBursts = 1, NewsBursts = 1, FanCommunities = 1 };

    [Fact]
    public void Same_seed_gives_identical_signals_and_ground_truth()
    {
        var first = PlatformSimulator.Run(Small);
        var second = PlatformSimulator.Run(Small);

        Assert.Equal(first.Signals, second.Signals);
        Assert.Equal(first.Accounts, second.Accounts);
        Assert.Equal(first.Campaigns.SelectMany(c => c.Accounts), second.Campaigns.SelectMany(c => c.Accounts));
        Assert.Equal(first.Campaigns.SelectMany(c => c.Targets), second.Campaigns.SelectMany(c => c.Targets));
    }

    [Fact]
    public void Different_seed_gives_different_signals()
    {
        var first = PlatformSimulator.Run(Small);
        var other = PlatformSimulator.Run(Small with { Seed = 43 });

        Assert.NotEqual(first.Signals.Take(100).Select(s => s.Id), other.Signals.Take(100).Select(s => s.Id));
        Assert.NotEqual(first.Accounts, other.Accounts);
    }

    [Fact]
    public void Signal_ids_are_unique_and_signals_are_sorted_inside_the_span()
    {
        var result = DefaultRun.Result;
        var end = DefaultRun.Options.Start + DefaultRun.Options.Duration;

        Assert.Equal(result.Signals.Count, result.Signals.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        for (var i = 1; i < result.Signals.Count; i++)
        {
            Assert.True(result.Signals[i - 1].Timestamp <= result.Signals[i].Timestamp, $"signal {i} is out of order");
        }
        Assert.All(result.Signals, s => Assert.InRange(s.Timestamp, DefaultRun.Options.Start, end - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Default_day_has_a_realistic_volume()
    {
        var result = DefaultRun.Result;

        Assert.InRange(result.Signals.Count, 150_000, 400_000);
        Assert.Equal(DefaultRun.Options.OrganicAccounts + result.Campaigns.Sum(c => c.Accounts.Count), result.Accounts.Count);
    }

    [Fact]
    public void Every_signal_references_a_known_account_and_reactions_reference_existing_posts()
    {
        var result = DefaultRun.Result;
        var accounts = result.Accounts.ToHashSet(StringComparer.Ordinal);
        var posts = new HashSet<string>(StringComparer.Ordinal);

        foreach (var signal in result.Signals)
        {
            Assert.Contains(signal.Account, accounts);
            switch (signal.Kind)
            {
                case Signals.SignalKind.Post:
                    Assert.Equal(signal.Id, signal.Target);
                    Assert.False(string.IsNullOrWhiteSpace(signal.Text));
                    posts.Add(signal.Id);
                    break;
                case Signals.SignalKind.Repost or Signals.SignalKind.Like or Signals.SignalKind.Reply:
                    Assert.Contains(signal.Target, posts);
                    break;
                case Signals.SignalKind.Follow or Signals.SignalKind.Mention:
                    Assert.Contains(signal.Target, accounts);
                    break;
                case Signals.SignalKind.Link:
                    Assert.StartsWith("https://", signal.Target, StringComparison.Ordinal);
                    break;
                default:
                    Assert.DoesNotContain('#', signal.Target);
                    break;
            }
        }
    }

    [Fact]
    public void Only_each_accounts_first_signal_carries_its_profile()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var signal in DefaultRun.Result.Signals)
        {
            Assert.Equal(seen.Add(signal.Account), signal.Profile is not null);
        }
    }

    [Fact]
    public void Account_ids_do_not_reveal_campaign_membership()
    {
        var result = DefaultRun.Result;
        var shape = new Regex(@"^u\d{9}$");

        Assert.All(result.Accounts, a => Assert.Matches(shape, a));
        foreach (var campaign in result.Campaigns)
        {
            var positions = campaign.Accounts.Select(a => IndexOf(result.Accounts, a)).Order().ToList();
            // Contiguous positions would be a range of ids; spread ones cover most of the sorted list.
            Assert.True(positions[^1] - positions[0] > result.Accounts.Count / 2, $"{campaign.Id} occupies a narrow id range");
            Assert.True(positions.Zip(positions.Skip(1)).Count(p => p.Second == p.First + 1) < positions.Count / 2);
        }
        var campaignPost = result.Campaigns.First(c => c.Kind == CampaignKind.CoordinatedRepost).Targets[0];
        Assert.Matches(new Regex(@"^p\d{10}$"), campaignPost);
    }

    [Fact]
    public void Campaign_accounts_are_created_in_bursts_while_organic_accounts_span_years()
    {
        var result = DefaultRun.Result;
        var created = result.Signals.Where(s => s.Profile?.CreatedAt is not null)
            .ToDictionary(s => s.Account, s => s.Profile!.CreatedAt!.Value, StringComparer.Ordinal);

        foreach (var campaign in result.Campaigns)
        {
            var dates = campaign.Accounts.Where(created.ContainsKey).Select(a => created[a]).ToList();
            Assert.True(dates.Max() - dates.Min() <= TimeSpan.FromDays(3), $"{campaign.Id} accounts were not created in a burst");
        }
        var organic = created.Where(p => !result.IsCampaignAccount(p.Key)).Select(p => p.Value).ToList();
        Assert.True(organic.Max() - organic.Min() > TimeSpan.FromDays(5 * 365));
    }

    [Fact]
    public void Activity_scale_multiplies_volume()
    {
        var options = Small with { Campaigns = 0, ViralBursts = 0, NewsBursts = 0, FanCommunities = 0 };

        var full = PlatformSimulator.Run(options).Signals.Count;
        var half = PlatformSimulator.Run(options with { ActivityScale = 0.5 }).Signals.Count;

        Assert.InRange(half / (double)full, 0.35, 0.65);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        return -1;
    }
}
