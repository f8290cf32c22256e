using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.CoActivity;

public class NearDuplicateTests
{
    private static readonly string[] Vocabulary = Enumerable.Range(0, 400).Select(i => $"w{i}").ToArray();

    private static uint[] Sign(string normalized)
    {
        var signature = new uint[TextSketch.Slots];
        TextSketch.Compute(normalized, signature);
        return signature;
    }

    private static HashSet<string> Bigrams(string text)
    {
        var words = text.Split(' ');
        return Enumerable.Range(0, words.Length - 1).Select(i => words[i] + " " + words[i + 1]).ToHashSet();
    }

    private static double Jaccard(string a, string b)
    {
        var x = Bigrams(a);
        var y = Bigrams(b);
        return x.Intersect(y).Count() / (double)x.Union(y).Count();
    }

    /// <summary>A random sentence and a variant with each word replaced with probability <paramref name="change"/>.</summary>
    private static (string, string) Pair(Random r, double change)
    {
        var words = Enumerable.Range(0, r.Next(12, 25)).Select(_ => Vocabulary[r.Next(Vocabulary.Length)]).ToArray();
        var variant = words.Select(w => r.NextDouble() < change ? Vocabulary[r.Next(Vocabulary.Length)] : w).ToArray();
        return (string.Join(' ', words), string.Join(' ', variant));
    }

    private static ContentSketch TextSketchOf(string normalized, double min = 0.5) =>
        new(TextNormalizer.Fingerprint(normalized), [.. Sign(normalized)], 0, min, 0);

    [Fact]
    public void MinHash_estimate_tracks_the_true_bigram_Jaccard()
    {
        var r = new Random(11);
        var errors = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var (a, b) = Pair(r, r.NextDouble() * 0.4);
            errors.Add(Math.Abs(TextSketchOf(a).Similarity(TextSketchOf(b)) - Jaccard(a, b)));
        }
        // The estimate is a mean of 32 Bernoulli(J) slots: its standard error is at most 0.088.
        Assert.True(errors.Average() <= 0.07, $"mean absolute error {errors.Average():F3}");
        Assert.True(errors.Count(e => e > 0.25) <= 3, $"{errors.Count(e => e > 0.25)} estimates off by more than 0.25");
    }

    [Fact]
    public void Similar_texts_share_a_band_and_unrelated_texts_rarely_do()
    {
        var r = new Random(12);
        int similar = 0, similarShared = 0, unrelated = 0, unrelatedShared = 0;
        for (var i = 0; i < 400; i++)
        {
            var (a, b) = i % 2 == 0 ? Pair(r, 0.08) : (Pair(r, 0).Item1, Pair(r, 0).Item1);
            var j = Jaccard(a, b);
            var sa = Sign(a);
            var sb = Sign(b);
            var shared = Enumerable.Range(0, TextSketch.Bands).Any(band => TextSketch.BandKey(sa, band) == TextSketch.BandKey(sb, band));
            if (j >= 0.6)
            {
                similar++;
                similarShared += shared ? 1 : 0;
            }
            else if (j <= 0.1)
            {
                unrelated++;
                unrelatedShared += shared ? 1 : 0;
            }
        }
        Assert.True(similar >= 100 && unrelated >= 100, $"{similar} similar and {unrelated} unrelated pairs drawn");
        Assert.True(similarShared >= 0.93 * similar, $"{similarShared} of {similar} pairs with J ≥ 0.6 became candidates");
        Assert.True(unrelatedShared <= 0.02 * unrelated, $"{unrelatedShared} of {unrelated} unrelated pairs became candidates");
    }

    [Fact]
    public void Identical_texts_are_not_near_duplicates_and_the_evidence_key_is_order_free()
    {
        var (a, _) = Pair(new Random(3), 0);
        var words = a.Split(' ');
        words[3] = "changed";
        var b = string.Join(' ', words);
        var x = TextSketchOf(a);
        var y = TextSketchOf(b);
        Assert.False(x.Matches(TextSketchOf(a)));
        Assert.True(x.Matches(y));
        Assert.Equal(x.EvidenceKey(y), y.EvidenceKey(x));
        Assert.Matches(@"^[0-9a-f]{16}~[0-9a-f]{16}~j[01]\.\d\d$", x.EvidenceKey(y));
        Assert.Contains(x.Hash, x.EvidenceKey(y), StringComparison.Ordinal);
        Assert.False(TextSketchOf(a, min: 1).Matches(TextSketchOf(b, min: 1)));
    }

    [Fact]
    public void Short_texts_get_no_near_text_targets_and_long_ones_get_one_per_band()
    {
        var post = (string text) => TargetExtractor.Extract(new Signal("s", "a", SignalKind.Post, "p", DateTimeOffset.UnixEpoch, text)).ToList();
        Assert.DoesNotContain(post("alpha bravo charlie delta echo"), t => t.Kind == CoActivityKind.CoNearText);
        var targets = post("the mayor of the city announced new measures on housing today");
        var bands = targets.Where(t => t.Kind == CoActivityKind.CoNearText).ToList();
        Assert.Equal(TextSketch.Bands, bands.Select(t => t.Key).Distinct().Count());
        Assert.All(bands, t => Assert.Same(bands[0].Sketch, t.Sketch));
        Assert.Equal(targets.Single(t => t.Kind == CoActivityKind.CoText).Key, bands[0].Sketch!.Hash);
        Assert.All(bands, t => Assert.False(TargetExtractor.CountsAsAction(t)));
    }

    [Fact]
    public void Perceptual_hashes_within_the_distance_always_share_a_block_and_are_verified()
    {
        var r = new Random(5);
        const int d = 6;
        for (var i = 0; i < 2000; i++)
        {
            var a = (ulong)r.NextInt64() ^ ((ulong)r.Next() << 40);
            var flips = r.Next(0, 12);
            var b = a;
            foreach (var bit in Enumerable.Range(0, 64).OrderBy(_ => r.Next()).Take(flips))
            {
                b ^= 1UL << bit;
            }
            var shared = Enumerable.Range(0, d + 1).Any(k => PerceptualHash.BlockKey(a, k, d + 1) == PerceptualHash.BlockKey(b, k, d + 1));
            var sa = new ContentSketch(a.ToString("x16"), [], a, 0, d);
            var sb = new ContentSketch(b.ToString("x16"), [], b, 0, d);
            if (flips <= d)
            {
                Assert.True(shared, $"hashes {flips} bits apart share no block");
            }
            Assert.Equal(flips is > 0 and <= d, sa.Matches(sb));
        }
    }

    [Theory]
    [InlineData("00ff00ff00ff00ff", true)]
    [InlineData("0x00FF00FF00FF00FF", true)]
    [InlineData("00ff00ff00ff00f", false)]
    [InlineData("sha256:00ff00ff00ff00ff", false)]
    [InlineData("zzff00ff00ff00ff", false)]
    public void Only_16_hex_digit_fingerprints_are_perceptual_hashes(string fingerprint, bool expected) =>
        Assert.Equal(expected, PerceptualHash.TryParse(fingerprint, out _));

    [Fact]
    public void A_perceptual_fingerprint_yields_an_exact_target_and_distance_plus_one_blocks()
    {
        var signal = new Signal("s", "a", SignalKind.Post, "p", DateTimeOffset.UnixEpoch, Fingerprint: "8f3a00ff12c4e901");
        var targets = TargetExtractor.Extract(signal, new CoActivityOptions { MediaMaxDistance = 4 }).ToList();
        Assert.Single(targets, t => t.Kind == CoActivityKind.CoFingerprint);
        Assert.Equal(5, targets.Count(t => t.Kind == CoActivityKind.CoMedia));
        var opaque = TargetExtractor.Extract(signal with { Fingerprint = "img-123" }).ToList();
        Assert.DoesNotContain(opaque, t => t.Kind == CoActivityKind.CoMedia);
    }

    [Fact]
    public void A_window_with_sketches_meets_only_verified_candidates_and_counts_only_them_in_the_crowd()
    {
        long T(int s) => new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero).AddSeconds(s).UtcTicks;
        ContentSketch M(ulong h) => new(h.ToString("x16"), [], h, 0, 6);
        var w = new CoActivityWindow(TimeSpan.FromMinutes(5), TimeSpan.Zero, 100);
        w.Add("near", T(0), M(0b1011), 0, (_, _, _, _) => { });
        w.Add("far", T(1), M(0xFFFF_0000_0000_0000UL), 0, (_, _, _, _) => { });
        w.Add("same", T(2), M(0), 0, (_, _, _, _) => { });
        var met = new List<(string Account, int Crowd)>();
        w.Add("me", T(3), M(0), 0, (other, _, _, crowd) => met.Add((other, crowd)));
        Assert.Equal([("near", 2)], met);
    }

    [Fact]
    public void Near_duplicates_sharing_many_bands_are_evidence_once()
    {
        var (a, _) = Pair(new Random(8), 0);
        var words = a.Split(' ');
        words[^1] = "changed";
        var b = string.Join(' ', words);
        var index = new CoActivityIndex(new CoActivityOptions());
        var evidence = new List<CoActivityEvidence>();
        var t = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
        foreach (var target in TargetExtractor.Extract(new Signal("1", "x", SignalKind.Post, "p1", t, a)))
        {
            index.Add("x", target, t.UtcTicks, evidence);
        }
        foreach (var target in TargetExtractor.Extract(new Signal("2", "y", SignalKind.Post, "p2", t.AddSeconds(30), b)))
        {
            index.Add("y", target, t.AddSeconds(30).UtcTicks, evidence);
        }
        var sa = Sign(TextNormalizer.Normalize(a));
        var sb = Sign(TextNormalizer.Normalize(b));
        Assert.True(Enumerable.Range(0, TextSketch.Bands).Count(band => TextSketch.BandKey(sa, band) == TextSketch.BandKey(sb, band)) > 1,
            "the two texts should share several bands");
        var near = Assert.Single(evidence, e => e.Kind == CoActivityKind.CoNearText);
        Assert.Equal(("x", "y"), (near.A, near.B));
        Assert.DoesNotContain(evidence, e => e.Kind == CoActivityKind.CoText);
    }

    [Theory]
    [InlineData("vote #Now #stopthesteal today", "now#stopthesteal")]
    [InlineData("#b #a", "b#a")]
    [InlineData("only #one tag", null)]
    [InlineData("mail me at x#y and #z", null)]
    [InlineData("#a, #b_2 and #c!", "a#b_2#c")]
    public void Hashtag_sequences_keep_order_and_need_two_tags(string text, string? expected) =>
        Assert.Equal(expected, TargetExtractor.HashtagSequence(TextNormalizer.Normalize(text)));

    [Fact]
    public void Redirect_pairs_map_short_links_to_their_canonical_targets()
    {
        var redirects = UrlRedirects.Parse(new StringReader(
            "short,long\nhttps://bit.ly/abc,https://News.example/story?utm_source=tw\nhttp://t.co/x,https://bit.ly/abc\nhttps://a.example/loop,https://b.example/loop\nhttps://b.example/loop,https://a.example/loop\n"));
        Assert.Equal("https://news.example/story", UrlCanonicalizer.Canonicalize("HTTPS://BIT.LY/abc#top", redirects));
        Assert.Equal("https://news.example/story", UrlCanonicalizer.Canonicalize("http://t.co/x", redirects));
        Assert.Equal("https://other.example/a", UrlCanonicalizer.Canonicalize("https://other.example/a/", redirects));
        Assert.StartsWith("https://", UrlCanonicalizer.Canonicalize("https://a.example/loop", redirects), StringComparison.Ordinal);
        var options = new CoActivityOptions { Redirects = redirects };
        var link = (string url) => TargetExtractor.Extract(new Signal("s", "a", SignalKind.Link, url, DateTimeOffset.UnixEpoch), options).Single();
        Assert.Equal(link("https://news.example/story"), link("https://bit.ly/abc"));
        Assert.Throws<FormatException>(() => UrlRedirects.Parse(new StringReader("https://bit.ly/a\n")));
    }
}
