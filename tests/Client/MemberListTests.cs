using Cib.Client;
using Cib.Grains.Interfaces;

namespace Cib.Client.Tests;

public sealed class MemberListTests
{
    private static NetworkSnapshot Network(IReadOnlyDictionary<string, double>? scores, double? threshold)
    {
        var t = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var summary = new NetworkSummary("net-1", NetworkStatus.Active, 3, 0.9, true, "co-repost", t, t, t, "ens-1:00000000");
        return new NetworkSnapshot(summary, ["b", "a", "c"], [], 0, new Dictionary<string, double>(), new ScoreExplanation("", [], 0, 0))
        {
            MemberScores = scores,
            MemberThreshold = threshold,
        };
    }

    [Fact]
    public void Without_a_member_layer_members_are_listed_as_they_are()
    {
        Assert.Equal("b, a, c", CibCommandLine.MemberList(Network(null, null)));
    }

    [Fact]
    public void With_a_member_layer_members_are_ranked_and_those_below_the_threshold_are_marked_held_back()
    {
        var text = CibCommandLine.MemberList(Network(new Dictionary<string, double> { ["a"] = 0.95, ["b"] = 0.31, ["c"] = 0.85 }, 0.8));
        Assert.StartsWith("a 0.95, c 0.85, b 0.31 (held back)", text, StringComparison.Ordinal);
        Assert.EndsWith("held back below 0.80)", text, StringComparison.Ordinal);
    }
}
