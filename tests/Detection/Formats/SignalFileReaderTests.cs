using System.IO.Compression;
using System.Text;
using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Formats;

public sealed class SignalFileReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cib-formats-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content, bool gzip = false)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    private const string Ndjson = """{"id":"s1","account":"a1","kind":"like","target":"p9","timestamp":"2024-05-01T12:00:00Z"}""" + "\n";
    private const string Toolkit = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n1,u,n,,,hi,1700000000,http://x.com\n";
    private const string CooRTweet = "object_id,account_id,content_id,timestamp\nO,A,C,1700000000\n";

    [Theory]
    [InlineData("s.ndjson", false)]
    [InlineData("s.jsonl.gz", true)]
    [InlineData("s.txt", false)] // recognised by its first character
    public void Ndjson_is_detected_by_extension_or_content(string name, bool gzip)
    {
        var result = Assert.Single(SignalFileReader.Open(Write(name, Ndjson, gzip)));
        Assert.Equal(SignalKind.Like, result.Signal?.Kind);
    }

    [Fact]
    public void Csv_formats_are_detected_by_header_even_when_gzipped()
    {
        Assert.Equal(2, SignalFileReader.Open(Write("t.csv.gz", Toolkit, gzip: true)).Count(r => r.IsSignal));
        Assert.Equal(SignalFileFormat.ToolkitCsv, SignalFileReader.Detect(Write("t.csv", Toolkit), out _));
        var coortweet = Assert.Single(SignalFileReader.Open(Write("c.csv", CooRTweet), cooRTweetKind: SignalKind.Link));
        Assert.Equal(SignalKind.Link, coortweet.Signal?.Kind);
    }

    [Fact]
    public void Explicit_format_overrides_detection()
    {
        var results = SignalFileReader.Open(Write("odd.ndjson", CooRTweet), SignalFileFormat.CooRTweetCsv).ToList();
        Assert.Equal("C", Assert.Single(results).Signal?.Id);
    }

    [Fact]
    public void Unknown_header_is_one_error_listing_the_accepted_formats()
    {
        var error = Assert.Single(SignalFileReader.Open(Write("x.csv", "a,b,c\n1,2,3\n"))).Error!;
        Assert.Equal(0, error.Position);
        Assert.Contains("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls", error.Message);
        Assert.Contains("object_id,account_id,content_id,timestamp", error.Message);
        Assert.Contains("NDJSON", error.Message);
    }

    [Fact]
    public void Missing_file_throws_when_opened()
    {
        Assert.Throws<FileNotFoundException>(() => SignalFileReader.Open(Path.Combine(_folder, "nope.csv")));
    }

    [Fact]
    public void Qut_compat_input_opens_with_auto_detection()
    {
        var path = Path.Combine(ToolkitCsvSignalReaderTests.FixtureFolder, "input-100k.csv.gz");
        if (!File.Exists(path))
        {
            return; // fixture folder absent on this machine
        }
        var results = SignalFileReader.Open(path).ToList();
        Assert.DoesNotContain(results, r => !r.IsSignal);
        Assert.Equal(100_000, results.Count(r => r.Signal!.Kind != SignalKind.Link));
    }
}
