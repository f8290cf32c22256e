using Cib.Detection.CoActivity;
using Cib.Detection.Evaluation;
using Cib.Detection.Networks;
using Cib.Detection.Scoring;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Scoring;

public class MemberLayerTests
{
    private static readonly DateTimeOffset T0 = new(2010, 1, 4, 0, 0, 0, TimeSpan.Zero);

    private static AccountFeatures Account(string id, long? followers, long? following, long posts = 5, long links = 0, long reposts = 0)
    {
        var byKind = new long[8];
        byKind[(int)SignalKind.Post] = posts;
        byKind[(int)SignalKind.Repost] = reposts;
        byKind[(int)SignalKind.Link] = links;
        return new AccountFeatures(id, T0, T0.AddDays(1), posts + reposts + links, links, byKind, 0, null, null, null)
        {
            Followers = followers,
            Following = following,
        };
    }

    /// <summary>Spammers follow many and are followed by few and post a link with every post; ordinary users
    /// the other way round, with noise so that the classes overlap a little.</summary>
    private static (List<AccountFeatures> Accounts, List<bool> Spam) Population(int n, int seed)
    {
        var random = new Random(seed);
        var accounts = new List<AccountFeatures>();
        var spam = new List<bool>();
        for (var i = 0; i < n; i++)
        {
            var s = i % 2 == 0;
            var followers = (long)Math.Exp(random.NextDouble() * 3 + (s ? 2 : 5));
            var following = (long)Math.Exp(random.NextDouble() * 3 + (s ? 6 : 4));
            accounts.Add(Account($"a{i}", followers, following, posts: 5, links: s ? random.Next(3, 6) : random.Next(0, 3)));
            spam.Add(s);
        }
        return (accounts, spam);
    }

    [Fact]
    public void Features_follow_their_formulas_and_mark_unknown_counts()
    {
        var row = MemberFeatures.Compute(Account("a", followers: 9, following: 99, posts: 4, links: 2, reposts: 1));
        Assert.Equal(MemberFeatures.Names.Count, row.Length);
        Assert.Equal(Math.Log(10), row[0], 12);
        Assert.Equal(Math.Log(100), row[1], 12);
        Assert.Equal(Math.Log(100) - Math.Log(10), row[2], 12);
        Assert.Equal(1, row[4]);
        Assert.Equal(2 / 5.0, row[5], 12);
        Assert.Equal(1 / 5.0, row[8], 12);
        Assert.Equal(Math.Log(8), row[9], 12);
        var unknown = MemberFeatures.Compute(Account("b", null, null));
        Assert.Equal(0, unknown[0]);
        Assert.Equal(0, unknown[4]);
    }

    [Fact]
    public void A_layer_trained_on_decisions_keeps_spammers_and_drops_bystanders_it_has_not_seen()
    {
        var (train, trainSpam) = Population(400, seed: 1);
        var layer = MemberLayer.Fit(train, trainSpam);
        Assert.True(layer.Layer.Report.Auc > 0.9, $"cross-validated AUC {layer.Layer.Report.Auc:F3}");
        var (test, testSpam) = Population(400, seed: 2);
        var kept = test.Where(layer.Keeps).ToList();
        var spamKept = kept.Count(a => testSpam[test.IndexOf(a)]);
        Assert.True(spamKept / (double)kept.Count >= 0.95, $"{spamKept} of {kept.Count} kept are spam");
        Assert.True(spamKept >= 100, $"only {spamKept} of 200 spammers kept");
        // A stricter threshold keeps no more.
        var strict = MemberLayer.Fit(train, trainSpam, threshold: 0.95);
        Assert.True(test.Count(strict.Keeps) <= kept.Count);
    }

    [Fact]
    public void Labels_come_from_decisions_with_exclusions_and_later_decisions_win()
    {
        var labels = MemberLayer.LabelsFromDecisions(
        [
            (["a", "b", "c"], true, ["c"]),
            (["d", "e"], false, []),
            (["e", "f"], true, []),
        ]);
        Assert.True(labels["a"]);
        Assert.True(labels["b"]);
        Assert.False(labels["c"]);
        Assert.False(labels["d"]);
        Assert.True(labels["e"]);
        Assert.True(labels["f"]);
        Assert.Equal(6, labels.Count);
    }

    [Fact]
    public void A_layer_survives_its_json_and_bad_input_is_refused_clearly()
    {
        var (train, spam) = Population(200, seed: 3);
        var layer = MemberLayer.Fit(train, spam, threshold: 0.7);
        var back = MemberLayer.FromJson(layer.ToJson());
        Assert.Equal(0.7, back.Threshold);
        foreach (var a in train.Take(20))
        {
            Assert.Equal(layer.Probability(a), back.Probability(a), 12);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MemberLayer.Fit(train, spam, threshold: 1));
        Assert.Throws<ArgumentException>(() => MemberLayer.Fit(train, spam.Take(10).ToList()));
        Assert.Throws<ArgumentException>(() => MemberLayer.Fit(train.Take(30).ToList(), [.. Enumerable.Repeat(true, 30)]));
        var e = Assert.Throws<FormatException>(() => MemberLayer.FromJson(layer.ToJson().Replace("log_followers", "followers", StringComparison.Ordinal)));
        Assert.Contains("features", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => MemberLayer.FromJson("{\"threshold\": 0.8"));
    }

    /// <summary>
    /// Spam accounts push the same links in groups of five; ordinary users share the same popular links, so
    /// the co-link networks mix both. Review, cross-validated, must put forward the spammers and few of the rest.
    /// </summary>
    [Fact]
    public void Cross_validated_review_puts_forward_spammers_from_mixed_networks()
    {
        var random = new Random(5);
        var signals = new List<Signal>();
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var accounts = new List<string>();
        var n = 0;
        for (var g = 0; g < 60; g++)
        {
            var members = new List<string>();
            for (var m = 0; m < 8; m++)
            {
                var spam = m < 5;
                var id = $"g{g}m{m}";
                accounts.Add(id);
                members.Add(id);
                if (spam)
                {
                    groupOf[id] = "spam";
                }
                var profile = new AccountProfile(null, null, null,
                    Followers: (long)Math.Exp(random.NextDouble() * 2 + (spam ? 2 : 5)),
                    Following: (long)Math.Exp(random.NextDouble() * 2 + (spam ? 6 : 4)));
                for (var p = 0; p < 3; p++)
                {
                    var at = T0.AddDays(g).AddMinutes((m * 40) + p);
                    var url = $"https://example.com/g{g}/l{p}";
                    signals.Add(new Signal($"s{n++}", id, SignalKind.Post, $"s{n}", at, "look at this", Profile: p == 0 ? profile : null));
                    signals.Add(new Signal($"s{n++}", id, SignalKind.Link, url, at));
                }
            }
        }
        var data = new LabelledDataset("mixed", signals, groupOf, accounts);
        var windows = RealDataSets.LongHorizonWindows(new CoActivityOptions());
        var detection = RealDataSets.ReviewedDetection(new DetectionOptions());
        var unreviewed = DetectionEvaluator.Evaluate(data, windows, detection);
        var reviewed = ReviewedMembersEvaluator.Evaluate(data, windows, detection);
        Assert.InRange(unreviewed.Accounts.Precision, 0.55, 0.7);
        Assert.True(reviewed.Accounts.Precision >= 0.95, $"reviewed precision {reviewed.Accounts.Precision:F3}");
        Assert.True(reviewed.Accounts.Recall >= 0.8, $"reviewed recall {reviewed.Accounts.Recall:F3}");
        Assert.Throws<ArgumentOutOfRangeException>(() => ReviewedMembersEvaluator.Evaluate(data, windows, detection, folds: 1));
    }
}
