using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Pipeline;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Pipeline;

/// <summary>
/// Behaviour planted in constructed signals next to organic look-alikes of the same kind: the planted
/// accounts must end up linked and clustered, the organic ones must not.
/// </summary>
public class CoActivityKindsDetectionTests
{
    private static readonly DateTimeOffset Day = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private sealed class Builder(int seed)
    {
        private readonly Random _r = new(seed);
        private int _id;
        public List<Signal> Signals { get; } = [];

        public Random Random => _r;

        public void Add(string account, SignalKind kind, string target, double seconds, string? text = null) =>
            Signals.Add(new Signal($"s{_id++}", account, kind, target, Day.AddSeconds(seconds), text));

        public string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => $"w{_r.Next(100_000)}"));
    }

    private static (double LinkedPairs, IReadOnlyList<string> Organic, int PlantedInOneCluster) Measure(
        PipelineResult result, IReadOnlyList<string> planted, CoActivityKind kind, int minKindSupport)
    {
        var set = planted.ToHashSet(StringComparer.Ordinal);
        var plantedPairs = planted.Count * (planted.Count - 1) / 2;
        var linked = result.Edges.Count(e => set.Contains(e.A) && set.Contains(e.B) && e.SupportByKind[(int)kind] >= minKindSupport);
        var clustered = result.Analysis.Networks.SelectMany(n => n.Cluster.Members).Where(m => !set.Contains(m)).ToList();
        var best = result.Analysis.Networks.Select(n => n.Cluster.Members.Count(set.Contains)).DefaultIfEmpty(0).Max();
        return (linked / (double)plantedPairs, clustered, best);
    }

    [Fact]
    public void A_follow_train_is_linked_by_distinct_followed_accounts_and_followers_of_a_popular_account_are_not()
    {
        var b = new Builder(21);
        var riders = Enumerable.Range(0, 12).Select(i => $"rider{i}").ToList();
        // Three trains a day: each rider follows the same list of 8 accounts one after another.
        for (var train = 0; train < 3; train++)
        {
            var listed = Enumerable.Range(0, 8).Select(i => $"listed{train}-{i}").ToList();
            var start = 3600 + (train * 6 * 3600);
            foreach (var rider in riders)
            {
                var at = start + b.Random.NextDouble() * 120;
                foreach (var followed in listed)
                {
                    b.Add(rider, SignalKind.Follow, followed, at);
                    at += 2 + (b.Random.NextDouble() * 13);
                }
            }
        }
        // Organic: 400 accounts follow one popular account through the day, most soon after a viral post,
        // and a few accounts each from a large pool at random.
        var organic = Enumerable.Range(0, 400).Select(i => $"org{i}").ToList();
        foreach (var account in organic)
        {
            b.Add(account, SignalKind.Follow, "celebrity", b.Random.NextDouble() < 0.6 ? 40_000 + (b.Random.NextDouble() * 1800) : b.Random.NextDouble() * 86_000);
            for (var i = 0; i < 4; i++)
            {
                b.Add(account, SignalKind.Follow, $"pool{b.Random.Next(300)}", b.Random.NextDouble() * 86_000);
            }
        }
        var result = InProcessPipeline.Run(b.Signals, new CoActivityOptions(), new DetectionOptions());

        var (linked, clusteredOrganic, best) = Measure(result, riders, CoActivityKind.CoFollow, 8);
        Assert.True(linked >= 0.95, $"{linked:P0} of rider pairs have 8 or more co-follow occasions");
        Assert.True(best >= 11, $"the largest cluster holds {best} of 12 riders");
        Assert.Empty(clusteredOrganic);
        // Following one popular account together, however many times and however close, is one occasion.
        var organicSupport = result.Edges.Where(e => e.A.StartsWith("org", StringComparison.Ordinal) && e.B.StartsWith("org", StringComparison.Ordinal))
            .Select(e => e.SupportByKind[(int)CoActivityKind.CoFollow]).DefaultIfEmpty(0).Max();
        Assert.True(organicSupport <= 2, $"an organic pair has {organicSupport} co-follow occasions");
    }

    [Fact]
    public void A_hashtag_sequence_campaign_is_linked_and_organic_users_of_the_same_tags_are_not()
    {
        var b = new Builder(22);
        var members = Enumerable.Range(0, 10).Select(i => $"member{i}").ToList();
        for (var e = 0; e < 6; e++)
        {
            var start = 1800 + (e * 4 * 3600);
            foreach (var m in members)
            {
                b.Add(m, SignalKind.Post, $"p{e}{m}", start + (b.Random.NextDouble() * 60), $"{b.Words(5)} #Alpha #beta #Gamma");
            }
        }
        // Organic accounts use the same popular tags, two at a time in either order, through the day.
        string[] tags = ["alpha", "beta", "gamma", "delta", "epsilon"];
        var organic = Enumerable.Range(0, 300).Select(i => $"org{i}").ToList();
        foreach (var account in organic)
        {
            for (var i = 0; i < 4; i++)
            {
                var pick = tags.OrderBy(_ => b.Random.Next()).Take(2).ToArray();
                b.Add(account, SignalKind.Post, $"o{account}-{i}", b.Random.NextDouble() * 86_000, $"{b.Words(5)} #{pick[0]} #{pick[1]}");
            }
        }
        var result = InProcessPipeline.Run(b.Signals, new CoActivityOptions(), new DetectionOptions());

        var (linked, clusteredOrganic, best) = Measure(result, members, CoActivityKind.CoHashtagSequence, 4);
        Assert.True(linked >= 0.95, $"{linked:P0} of member pairs have 4 or more co-hashtag-sequence occasions");
        Assert.True(best >= 9, $"the largest cluster holds {best} of 10 members");
        Assert.Empty(clusteredOrganic);
    }

    [Fact]
    public void Estimated_windows_replace_the_configured_ones_and_are_reported()
    {
        var b = new Builder(23);
        // 200 links: a tenth are pushed by bursts (half of the shares within 20 s), the rest spread over hours.
        for (var l = 0; l < 200; l++)
        {
            var fast = l % 10 == 0;
            var start = b.Random.NextDouble() * 40_000;
            for (var share = 0; share < 6; share++)
            {
                b.Add($"u{b.Random.Next(2000)}", SignalKind.Link, $"https://example.org/{l}", start + (fast ? share * 8 : share * 1800));
            }
        }
        var configured = new CoActivityOptions();
        var result = InProcessPipeline.Run(b.Signals, configured, new DetectionOptions(), estimateWindows: true);

        var link = Assert.Single(result.WindowEstimates!, e => e.Kind == CoActivityKind.CoLink);
        Assert.True(link.Estimated);
        Assert.Equal(200, link.Targets);
        Assert.Equal(TimeSpan.FromSeconds(24), link.Window);
        Assert.Equal(TimeSpan.FromSeconds(24), result.Windows.WindowFor(CoActivityKind.CoLink));
        // Too few reposts to estimate from: the configured window stays, and says so.
        var repost = Assert.Single(result.WindowEstimates!, e => e.Kind == CoActivityKind.CoRepost);
        Assert.False(repost.Estimated);
        Assert.Equal(configured.WindowFor(CoActivityKind.CoRepost), result.Windows.WindowFor(CoActivityKind.CoRepost));
        Assert.Null(InProcessPipeline.Run(b.Signals, configured, new DetectionOptions()).WindowEstimates);
    }
}
