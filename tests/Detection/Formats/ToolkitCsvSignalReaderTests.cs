using System.IO.Compression;
using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Formats;

public class ToolkitCsvSignalReaderTests
{
    private const string Header = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n";
    internal static readonly string FixtureFolder = Path.Combine(
        Cib.Detection.Evaluation.RealDataSets.Locate(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException("../shared/data beside the folder holding Cib.sln was not found"),
        "qut-compat");

    private static List<SignalReadResult> Read(string body) => ToolkitCsvSignalReader.Read(new StringReader(Header + body)).ToList();

    [Fact]
    public void Repost_row_becomes_a_repost_of_repost_id_without_links()
    {
        var s = Assert.Single(Read("1,u1,name1,X,,RT x,1700000000,http://a.com\n")).Signal!;
        Assert.Equal(new Signal("1", "u1", SignalKind.Repost, "X", DateTimeOffset.FromUnixTimeSeconds(1700000000), "RT x",
            Profile: new AccountProfile(null, "name1", null)), s);
    }

    [Fact]
    public void Reply_row_becomes_a_reply_to_reply_id_with_its_text()
    {
        var s = Assert.Single(Read("2,u1,name1,,P7,@p hi,1700000000,\n")).Signal!;
        Assert.Equal(SignalKind.Reply, s.Kind);
        Assert.Equal("P7", s.Target);
        Assert.Equal("@p hi", s.Text);
    }

    [Fact]
    public void Original_row_becomes_a_post_targeting_itself_plus_one_link_per_url()
    {
        var results = Read("3,u1,name1,,,\"hello, world\",1700000000,  http://a.com/1   http://b.com/2 \n");
        Assert.All(results, r => Assert.True(r.IsSignal, r.ToString()));
        var signals = results.Select(r => r.Signal!).ToList();
        Assert.Equal(3, signals.Count);
        Assert.Equal((SignalKind.Post, "3", "3", "hello, world"), (signals[0].Kind, signals[0].Id, signals[0].Target, signals[0].Text));
        Assert.Equal((SignalKind.Link, "3#link1", "http://a.com/1"), (signals[1].Kind, signals[1].Id, signals[1].Target));
        Assert.Equal((SignalKind.Link, "3#link2", "http://b.com/2"), (signals[2].Kind, signals[2].Id, signals[2].Target));
        Assert.All(signals, s => Assert.Equal("u1", s.Account));
        Assert.All(signals, s => Assert.Equal(signals[0].Timestamp, s.Timestamp));
    }

    [Fact]
    public void Empty_urls_never_yield_a_link()
    {
        var results = Read("4,u1,n,,,text,1700000000,\n5,u2,n,,,text,1700000000,\" \"\n");
        Assert.Equal(2, results.Count);
        Assert.DoesNotContain(results, r => r.Signal?.Kind == SignalKind.Link);
    }

    [Fact]
    public void Timestamps_may_be_fractional_seconds_or_ISO_8601()
    {
        var results = Read("1,u,n,X,,,260.5,\n2,u,n,X,,,2024-05-01T12:00:00+01:00,\n");
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(260.5), results[0].Signal!.Timestamp);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 11, 0, 0, TimeSpan.Zero), results[1].Signal!.Timestamp);
    }

    [Fact]
    public void Columns_may_come_in_any_order()
    {
        var results = ToolkitCsvSignalReader.Read(new StringReader("urls,timestamp,message,reply_id,repost_id,username,user_id,message_id\n,5,hi,,X,n,u,9\n")).ToList();
        Assert.Equal(new Signal("9", "u", SignalKind.Repost, "X", DateTimeOffset.FromUnixTimeSeconds(5), "hi", Profile: new(null, "n", null)), results.Single().Signal);
    }

    [Fact]
    public void Bad_rows_are_errors_naming_the_column_and_later_rows_still_come_out()
    {
        var results = Read("1,u,n,X,,,yesterday,\n,u,n,X,,,5,\n3,,n,X,,,5,\n4,u,n,X\n5,u,n,X,,,5,\n");
        Assert.Equal(5, results.Count);
        Assert.Equal("record 1 (id \"1\"): \"timestamp\" is not Unix seconds or ISO 8601 with an offset (got \"yesterday\")", results[0].Error!.ToString());
        Assert.Equal(("message_id", 2L), (results[1].Error!.Field, results[1].Error!.Position));
        Assert.Equal(("user_id", "3"), (results[2].Error!.Field, results[2].Error!.RecordId));
        Assert.Contains("has 4 fields, expected 8", results[3].Error!.Message);
        Assert.Equal("5", results[4].Signal!.Id);
    }

    [Fact]
    public void Wrong_header_is_one_error_naming_missing_and_unknown_columns()
    {
        var results = ToolkitCsvSignalReader.Read(new StringReader("message_id,user,username,repost_id,reply_id,message,timestamp,urls\n1,2,3,4,5,6,7,8\n")).ToList();
        var error = Assert.Single(results).Error!;
        Assert.Equal(0, error.Position);
        Assert.StartsWith("header: is not the toolkit's CSV header: lacks \"user_id\" and has unknown \"user\"", error.ToString());
    }

    [Fact]
    public void Semantics_17_expands_to_the_expected_signals()
    {
        var path = Path.Combine(FixtureFolder, "semantics-17.csv");
        if (!File.Exists(path))
        {
            return; // fixture folder absent on this machine
        }
        using var reader = new StreamReader(path);
        var results = ToolkitCsvSignalReader.Read(reader).ToList();
        Assert.All(results, r => Assert.True(r.IsSignal, r.ToString()));
        var signals = results.Select(r => r.Signal!).ToList();
        Assert.Equal(17 + 5, signals.Count);
        Assert.Equal(["1", "2", "3", "4", "17"], signals.Where(s => s.Kind == SignalKind.Repost).Select(s => s.Id));
        Assert.Equal(12, signals.Count(s => s.Kind == SignalKind.Post));
        Assert.Equal(
            ["13#link1 g http://l.com/1", "13#link2 g http://l.com/2", "14#link1 h http://l.com/1", "15#link1 g http://l.com/3", "16#link1 h http://l.com/3"],
            signals.Where(s => s.Kind == SignalKind.Link).Select(s => $"{s.Id} {s.Account} {s.Target}"));
        // No message without URLs yields a link: e and f share no URL and must not be linked.
        Assert.DoesNotContain(signals, s => s.Kind == SignalKind.Link && s.Account is "e" or "f");
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(260.5), signals.Single(s => s.Id == "4").Timestamp);
        Assert.Equal("Hello World @bob", signals.Single(s => s.Id == "5").Text);
        Assert.All(signals, s => Assert.Equal("u" + s.Account, s.Profile?.Handle));
    }

    [Fact]
    public void Input_100k_parses_fully_with_zero_errors()
    {
        var path = Path.Combine(FixtureFolder, "input-100k.csv.gz");
        if (!File.Exists(path))
        {
            return; // fixture folder absent on this machine
        }
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = new HashSet<string>();
        long errors = 0, links = 0, reposts = 0;
        string? firstError = null;
        foreach (var result in ToolkitCsvSignalReader.Read(reader))
        {
            if (!result.IsSignal)
            {
                errors++;
                firstError ??= result.Error.ToString();
                continue;
            }
            var s = result.Signal;
            if (s.Kind == SignalKind.Link)
            {
                links++;
                Assert.False(string.IsNullOrWhiteSpace(s.Target));
            }
            else
            {
                Assert.True(rows.Add(s.Id), $"message {s.Id} seen twice");
                reposts += s.Kind == SignalKind.Repost ? 1 : 0;
            }
        }
        Assert.True(errors == 0, firstError);
        Assert.Equal(100_000, rows.Count);
        // README: about 60% reposts, and 30% of the 35% originals carry 1-3 URLs.
        Assert.InRange(reposts, 55_000, 65_000);
        Assert.InRange(links, 10_000, 40_000);
    }
}
