using Cib.Detection.Evaluation;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Evaluation;

public class SharingRuleTests
{
    private static readonly DateTimeOffset Start = new(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int s_id;

    private static Signal Link(string account, string url, double days) =>
        new($"l{Interlocked.Increment(ref s_id)}", account, SignalKind.Link, url, Start.AddDays(days));

    private static Signal Post(string account, string text, double days)
    {
        var id = $"p{Interlocked.Increment(ref s_id)}";
        return new(id, account, SignalKind.Post, id, Start.AddDays(days), text);
    }

    [Fact]
    public void Accounts_sharing_enough_items_at_any_time_apart_are_flagged()
    {
        var signals = new List<Signal>
        {
            // a and b share a link (months apart, in two spellings of one canonical URL) and a text: two items.
            Link("a", "http://spam.example/offer", 0), Link("b", "HTTP://SPAM.example:80/offer#top", 90),
            Post("a", "Win a free phone today, click the link in my profile", 1), Post("b", "win a FREE phone today,   click the link in my profile", 40),
            // c shares one link with a.
            Link("c", "http://spam.example/offer", 200),
            // d posts alone.
            Post("d", "Nothing in common with anybody else here at all", 3),
        };
        Assert.Equal(["a", "b", "c"], SharingRule.Flag(signals, 1));
        Assert.Equal(["a", "b"], SharingRule.Flag(signals, 2));
        Assert.Empty(SharingRule.Flag(signals, 3));
    }

    [Fact]
    public void Items_shared_by_more_accounts_than_the_cap_link_nobody()
    {
        var signals = Enumerable.Range(0, 5).Select(i => Link($"u{i}", "http://news.example/story", i)).ToList();
        Assert.Equal(5, SharingRule.Flag(signals, 1).Count);
        Assert.Empty(SharingRule.Flag(signals, 1, maxAccountsPerItem: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SharingRule.Flag(signals, 0));
    }
}
