using System.IO.Compression;
using Cib.Detection.Batch;

namespace Cib.Detection.Tests.Batch;

public class ToolkitNetworksTests
{
    internal static readonly string Fixture = Path.Combine(FindShared(), "data", "qut-compat");

    private static readonly ToolkitNetworkOptions Semantics = new() { WindowSeconds = 60, MinWeight = 1 };

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data", "qut-compat")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/data/qut-compat was not found in any folder above the tests (it lives in ../shared beside the checkout)");
    }

    private static string Show(IEnumerable<ToolkitEdge> edges) => string.Join(" ", edges.Select(e => $"{e.User1}>{e.User2}:{e.Weight}"));

    private static ToolkitMessages ReadSemantics() => ToolkitMessages.ReadFile(Path.Combine(Fixture, "semantics-17.csv"));

    [Fact]
    public void Semantics_17_gives_the_co_retweet_edges_the_readme_lists()
    {
        var edges = ToolkitNetworks.Compute(ReadSemantics(), ToolkitNetworkKind.CoRetweet, Semantics);
        Assert.Equal("a>a:2 a>b:2 b>a:1", Show(edges));
    }

    [Fact]
    public void Semantics_17_gives_the_co_tweet_edges_the_readme_lists()
    {
        var edges = ToolkitNetworks.Compute(ReadSemantics(), ToolkitNetworkKind.CoTweet, Semantics);
        Assert.Equal("c>d:2 d>c:2 g>h:2 h>g:2", Show(edges));
    }

    [Fact]
    public void Semantics_17_co_link_never_matches_messages_without_a_url()
    {
        var edges = ToolkitNetworks.Compute(ReadSemantics(), ToolkitNetworkKind.CoLink, Semantics);
        Assert.Equal("g>h:2 h>g:2", Show(edges));
    }

    [Fact]
    public void Semantics_17_reads_all_rows_including_the_fractional_timestamp()
    {
        var messages = ReadSemantics();
        Assert.Equal(17, messages.Count);
        Assert.Equal(0, messages.Rejected);
        Assert.Equal(8, messages.UserCount);
    }

    [Fact]
    public void The_window_is_inclusive_and_fractional()
    {
        var m = new ToolkitMessages();
        m.Add("1", "a", "X", "", 100);
        m.Add("2", "b", "X", "", 160);
        m.Add("3", "c", "X", "", 220.5);
        var edges = ToolkitNetworks.Compute(m, ToolkitNetworkKind.CoRetweet, Semantics);
        Assert.Equal("a>b:1 b>a:1", Show(edges));
        var wider = ToolkitNetworks.Compute(m, ToolkitNetworkKind.CoRetweet, Semantics with { WindowSeconds = 60.5 });
        Assert.Equal("a>b:1 b>a:1 b>c:1 c>b:1", Show(wider));
    }

    [Fact]
    public void A_message_counts_once_per_user_however_many_urls_or_messages_match_it()
    {
        var m = new ToolkitMessages();
        m.Add("1", "a", "", "x", 0, "http://u/1 http://u/2 http://u/1");
        m.Add("2", "b", "", "y", 5, "http://u/1 http://u/2");
        m.Add("3", "b", "", "z", 6, "http://u/2");
        var edges = ToolkitNetworks.Compute(m, ToolkitNetworkKind.CoLink, Semantics);
        // b's two messages each match a's one message and each other: b→b is 2, b→a is 2, a→b is 1.
        Assert.Equal("a>b:1 b>a:2 b>b:2", Show(edges));
    }

    [Fact]
    public void Edges_below_the_minimum_weight_are_dropped_and_repeated_message_ids_ignored()
    {
        var m = new ToolkitMessages();
        m.Add("1", "a", "X", "", 0);
        m.Add("2", "b", "X", "", 1);
        m.Add("2", "c", "X", "", 2);
        m.Add("3", "a", "Y", "", 10);
        m.Add("4", "b", "Y", "", 11);
        Assert.Equal(4, m.Count);
        Assert.Equal(1, m.Duplicates);
        var edges = ToolkitNetworks.Compute(m, ToolkitNetworkKind.CoRetweet, new ToolkitNetworkOptions { MinWeight = 2 });
        Assert.Equal("a>b:2 b>a:2", Show(edges));
    }

    [Fact]
    public void Options_name_a_bad_value()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ToolkitNetworkOptions { MinWeight = 0 }.Validate());
        Assert.Contains("MinWeight", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ToolkitNetworkOptions { WindowSeconds = double.NaN }.Validate());
    }

    [Theory]
    [InlineData(ToolkitNetworkKind.CoRetweet, "co_retweet.csv.gz")]
    [InlineData(ToolkitNetworkKind.CoTweet, "co_tweet.csv.gz")]
    [InlineData(ToolkitNetworkKind.CoLink, "co_link.csv.gz")]
    public void Input_100k_gives_the_toolkits_edges_and_weights(ToolkitNetworkKind kind, string expectedFile)
    {
        var input = Path.Combine(Fixture, "input-100k.csv.gz");
        if (!File.Exists(input))
        {
            return; // The fixture folder is absent on this machine: nothing to compare with.
        }
        var messages = ToolkitMessages.ReadFile(input);
        Assert.Equal(100_000, messages.Count);
        var actual = ToolkitNetworks.Compute(messages, kind, new ToolkitNetworkOptions { WindowSeconds = 60, MinWeight = 2 })
            .Select(e => $"{e.User1},{e.User2},{e.Weight}").ToHashSet(StringComparer.Ordinal);
        var expected = ReadGzipLines(Path.Combine(Fixture, expectedFile)).Skip(1).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        var missing = expected.Except(actual).Take(5).ToList();
        var extra = actual.Except(expected).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{expected.Count} expected, {actual.Count} computed; missing {string.Join(" ", missing)}; extra {string.Join(" ", extra)}");
    }

    internal static IEnumerable<string> ReadGzipLines(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
