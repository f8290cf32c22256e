using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.CoActivity;

public class CoActivityIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private static void Add(CoActivityIndex index, string account, string post, TimeSpan at, List<CoActivityEvidence>? evidence = null) =>
        index.Add(account, new CoActivityTarget(CoActivityKind.CoRepost, post), (Start + at).UtcTicks, evidence ?? []);

    [Fact]
    public void Eviction_drops_exactly_the_windows_whose_newest_action_is_beyond_every_window_plus_lateness()
    {
        // Longest default window 5 min + lateness 10 min: the horizon is 15 min behind the newest action.
        var index = new CoActivityIndex(new CoActivityOptions());
        Add(index, "a", "old", TimeSpan.Zero);
        Add(index, "a", "refreshed", TimeSpan.Zero);
        Add(index, "b", "refreshed", TimeSpan.FromMinutes(10));
        Add(index, "a", "recent", TimeSpan.FromMinutes(14));
        Add(index, "c", "now", TimeSpan.FromMinutes(20));
        index.EvictStale();
        Assert.Equal(3, index.LiveTargets);

        Add(index, "c", "later", TimeSpan.FromMinutes(26));
        index.EvictStale();
        Assert.Equal(3, index.LiveTargets);

        Add(index, "c", "latest", TimeSpan.FromMinutes(60));
        index.EvictStale();
        Assert.Equal(1, index.LiveTargets);
    }

    [Fact]
    public void A_target_evicted_and_acted_on_again_gets_a_fresh_window_that_is_evicted_in_turn()
    {
        var index = new CoActivityIndex(new CoActivityOptions());
        Add(index, "a", "p", TimeSpan.Zero);
        Add(index, "b", "q", TimeSpan.FromMinutes(30));
        index.EvictStale();
        Assert.Equal(1, index.LiveTargets);

        var evidence = new List<CoActivityEvidence>();
        Add(index, "c", "p", TimeSpan.FromMinutes(31));
        Add(index, "d", "p", TimeSpan.FromMinutes(31.5), evidence);
        Assert.Equal(("c", "d"), (evidence.Single().A, evidence.Single().B));

        Add(index, "e", "r", TimeSpan.FromMinutes(90));
        index.EvictStale();
        Assert.Equal(1, index.LiveTargets);
    }

    [Fact]
    public void Evidence_items_carry_exactly_the_records_and_aggregate_to_the_same_edges()
    {
        var options = new CoActivityOptions();
        var byItem = new CoActivityIndex(options);
        var byRecord = new CoActivityIndex(options);
        var items = new List<EvidenceItem>();
        var records = new List<CoActivityEvidence>();
        var texts = new[] { "the same words shared by every copy of this post today", "the same words shared by every copy of this post now" };
        var i = 0;
        foreach (var (account, minutes) in new[] { ("b", 0.0), ("a", 0.5), ("c", 1.0), ("a", 1.2), ("d", 2.0) })
        {
            var at = Start.AddMinutes(minutes);
            var signal = new Signal($"{i}", account, SignalKind.Post, $"p{i}", at, texts[i++ % 2]);
            foreach (var target in TargetExtractor.Extract(signal).Append(new CoActivityTarget(CoActivityKind.CoRepost, "viral")))
            {
                byItem.Add(account, target, at.UtcTicks, items);
                byRecord.Add(account, target, at.UtcTicks, records);
            }
        }
        Assert.Contains(records, e => e.Kind == CoActivityKind.CoNearText);
        Assert.Equal(records, items.Select(e => e.ToEvidence()));
        Assert.Equal(items, records.Select(EvidenceItem.From));

        var fromItems = new PairAggregator(options);
        var fromRecords = new PairAggregator(options);
        items.ForEach(e => fromItems.Add(e));
        records.ForEach(fromRecords.Add);
        Assert.Equal(Describe(fromRecords.Edges(1)), Describe(fromItems.Edges(1)));
    }

    private static List<string> Describe(List<EdgeSummary> edges) =>
        [.. edges.Select(e => $"{e.A} {e.B} {e.Support} {e.Weight:R} {string.Join(",", e.SupportByKind)} {e.MeanGapSeconds:R} {e.ActionsA} {e.ActionsB} " +
            string.Join(";", e.Samples.Select(x => $"{x.Kind}:{x.TargetKey}@{x.TimeA.UtcTicks}/{x.TimeB.UtcTicks}")))];
}
