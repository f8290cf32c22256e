using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.CoActivity;

public class TargetExtractorTests
{
    private static Signal S(SignalKind kind, string target, string? text = null) => new("s1", "a", kind, target, DateTimeOffset.UnixEpoch, text);

    [Fact]
    public void Text_normalisation_follows_the_toolkit_rule()
    {
        Assert.Equal("vote for x today", TextNormalizer.Normalize("  @bob Vote   FOR x\ttoday @alice "));
        Assert.Equal(TextNormalizer.Normalize("@a Same   text here"), TextNormalizer.Normalize("same text here @zz"));
    }

    [Theory]
    [InlineData("HTTPS://Example.ORG:443/a/?utm_source=x&id=3#frag", "https://example.org/a?id=3")]
    [InlineData("http://example.org:8080/", "http://example.org:8080")]
    [InlineData("not a url", "not a url")]
    public void Urls_are_canonicalised(string raw, string expected) => Assert.Equal(expected, UrlCanonicalizer.Canonicalize(raw));

    [Fact]
    public void Copy_paste_variants_share_one_text_target_and_short_texts_none()
    {
        var a = TargetExtractor.Extract(S(SignalKind.Post, "p1", "@x The election was STOLEN, share now")).Single(t => t.Kind == CoActivityKind.CoText);
        var b = TargetExtractor.Extract(S(SignalKind.Post, "p2", "the election was stolen,   share now @y")).Single(t => t.Kind == CoActivityKind.CoText);
        Assert.Equal(CoActivityKind.CoText, a.Kind);
        Assert.Equal(a, b);
        Assert.Empty(TargetExtractor.Extract(S(SignalKind.Post, "p3", "thanks!")));
    }

    [Fact]
    public void Kinds_map_to_their_co_activity_and_empty_links_are_ignored()
    {
        Assert.Equal(CoActivityKind.CoRepost, TargetExtractor.Extract(S(SignalKind.Repost, "p9")).Single().Kind);
        Assert.Equal(new CoActivityTarget(CoActivityKind.CoHashtag, "vote"), TargetExtractor.Extract(S(SignalKind.Hashtag, "#Vote")).Single());
        Assert.Empty(TargetExtractor.Extract(S(SignalKind.Link, "  ")));
    }
}
