using Cib.Detection.Signals;
using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

public sealed class OrganicRealismTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Activity_is_heavy_tailed()
    {
        var result = DefaultRun.Result;
        var perAccount = result.Signals.GroupBy(s => s.Account).Select(g => g.Count()).OrderDescending().ToList();

        var top = perAccount.Take(result.Accounts.Count / 100).Sum() / (double)result.Signals.Count;

        // Under equal rates the top 1% would produce about 1%; real platforms see ten times that.
        Assert.True(top > 0.08, $"top 1% of accounts produce {top:P1} of signals");
        Assert.True(perAccount[perAccount.Count / 2] < 40, "the median account should act a few dozen times a day at most");
    }

    [Fact]
    public void Daily_rhythm_is_visible()
    {
        var hours = new int[24];
        foreach (var signal in DefaultRun.Result.Signals)
        {
            hours[signal.Timestamp.UtcDateTime.Hour]++;
        }

        Assert.True(hours.Max() > 1.5 * hours.Min(), $"busiest hour {hours.Max()}, quietest {hours.Min()}");
    }

    [Fact]
    public void Organic_reposts_come_minutes_to_hours_after_the_original()
    {
        var result = DefaultRun.Result;
        var burstPosts = result.OrganicGroups.SelectMany(g => g.Targets).ToHashSet(StringComparer.Ordinal);
        var posted = result.Signals.Where(s => s.Kind == SignalKind.Post).ToDictionary(s => s.Id, s => s.Timestamp, StringComparer.Ordinal);
        var delays = result.Signals
            .Where(s => s.Kind == SignalKind.Repost && !burstPosts.Contains(s.Target) && !result.IsCampaignAccount(s.Account))
            .Select(s => s.Timestamp - posted[s.Target]).Order().ToList();

        Assert.InRange(delays[delays.Count / 2], TimeSpan.FromMinutes(5), Hour);
        Assert.True(delays[delays.Count * 95 / 100] > 2 * Hour, "the slowest reposts should come hours later");
    }

    [Fact]
    public void Popularity_concentrates_on_few_posts()
    {
        var reposts = DefaultRun.Result.Signals.Where(s => s.Kind == SignalKind.Repost)
            .GroupBy(s => s.Target).Select(g => g.Count()).OrderDescending().ToList();

        Assert.True(reposts[0] > 50 * reposts[reposts.Count / 2]);
    }

    [Fact]
    public void Viral_bursts_have_at_least_300_distinct_reposters_within_an_hour()
    {
        var result = DefaultRun.Result;
        var bursts = result.OrganicGroups.Where(g => g.Kind == OrganicEventKind.ViralBurst).ToList();

        Assert.Equal(3, bursts.Count);
        foreach (var burst in bursts)
        {
            var post = result.Signals.Single(s => s.Id == burst.Targets[0]);
            var reposters = result.Signals.Where(s => s.Kind == SignalKind.Repost && s.Target == post.Id && s.Timestamp < post.Timestamp + Hour)
                .Select(s => s.Account).Distinct().Count();

            Assert.True(reposters >= 300, $"{burst.Id} has {reposters} reposters in its first hour");
            Assert.DoesNotContain(burst.Accounts, result.IsCampaignAccount);
        }
    }

    [Fact]
    public void News_bursts_share_one_url_within_an_hour_each_in_their_own_words()
    {
        var result = DefaultRun.Result;

        foreach (var burst in result.OrganicGroups.Where(g => g.Kind == OrganicEventKind.NewsBurst))
        {
            var url = burst.Targets[0];
            var links = result.Signals.Where(s => s.Kind == SignalKind.Link && s.Target.StartsWith(url, StringComparison.Ordinal)).ToList();
            var first = links.Min(s => s.Timestamp);
            var sharers = links.Where(s => s.Timestamp < first + Hour).Select(s => s.Account).Distinct().Count();
            var postIds = links.Select(s => s.Id.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
            var texts = result.Signals.Where(s => s.Kind == SignalKind.Post && postIds.Contains(s.Id)).Select(s => s.Text!.Split(" https://")[0]).ToList();

            Assert.True(sharers >= 200, $"{burst.Id} has {sharers} sharers in its first hour");
            Assert.True(texts.Distinct().Count() > 0.9 * texts.Count, "news sharers should write their own text");
            Assert.Contains(links, s => s.Target != url);
        }
    }

    [Fact]
    public void Fans_repost_and_like_idol_posts_and_share_the_fandom_hashtag()
    {
        var result = DefaultRun.Result;

        foreach (var community in result.OrganicGroups.Where(g => g.Kind == OrganicEventKind.FanCommunity))
        {
            var idolPosts = community.Targets.ToHashSet(StringComparer.Ordinal);
            var fans = community.Accounts.Skip(1).ToHashSet(StringComparer.Ordinal);
            var reactions = result.Signals.Where(s => s.Kind is SignalKind.Repost or SignalKind.Like && idolPosts.Contains(s.Target) && fans.Contains(s.Account)).ToList();
            var reposters = reactions.Where(s => s.Kind == SignalKind.Repost).Select(s => s.Account).Distinct().Count();
            var engagement = reactions.Select(s => (s.Account, s.Target)).Distinct().Count() / (double)(fans.Count * idolPosts.Count);
            var tag = result.Signals.Where(s => s.Kind == SignalKind.Hashtag && fans.Contains(s.Account))
                .GroupBy(s => s.Target).OrderByDescending(g => g.Select(s => s.Account).Distinct().Count()).First().Key;
            var tagUsers = result.Signals.Where(s => s.Kind == SignalKind.Hashtag && s.Target == tag).Select(s => s.Account).Distinct().ToList();

            Assert.InRange(idolPosts.Count, 5, 30);
            Assert.True(reposters > 0.9 * fans.Count, $"{community.Id}: only {reposters} of {fans.Count} fans reposted the idol");
            Assert.InRange(engagement, 0.3, 0.6);
            Assert.True(tagUsers.Count(fans.Contains) > 0.25 * fans.Count, $"{community.Id}: too few fans use #{tag}");
            Assert.All(tagUsers, a => Assert.True(fans.Contains(a) || a == community.Accounts[0], $"{a} uses #{tag} without being a fan"));
        }
    }

    [Fact]
    public void Organic_group_members_are_all_organic()
    {
        var result = DefaultRun.Result;

        Assert.Equal(7, result.OrganicGroups.Count);
        Assert.All(result.OrganicGroups.SelectMany(g => g.Accounts), a => Assert.False(result.IsCampaignAccount(a)));
    }
}
