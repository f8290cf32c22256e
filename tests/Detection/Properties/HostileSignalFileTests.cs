using System.IO.Compression;
using System.Text;
using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Properties;

/// <summary>
/// Files no one should send, read through <see cref="SignalFileReader"/>: each yields errors that
/// name the record and, where one is at fault, the field, or one clear error for the file; no
/// exception escapes but the one for a missing file.
/// </summary>
public sealed class HostileSignalFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cib-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string ToolkitHeader = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls";
    private const string CooRTweetHeader = "object_id,account_id,content_id,timestamp";

    private string Write(string name, byte[] content, bool gzip = false)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(content);
        return path;
    }

    private string Write(string name, string content, bool gzip = false) => Write(name, Encoding.UTF8.GetBytes(content), gzip);

    private static List<SignalReadResult> Read(string path, SignalFileFormat format = SignalFileFormat.Auto) =>
        SignalFileReader.Open(path, format).ToList();

    private static SignalError OnlyError(List<SignalReadResult> results) => Assert.Single(results, r => !r.IsSignal).Error!;

    [Fact]
    public void Unterminated_quote_is_one_error_naming_the_record_and_its_field_and_the_records_before_survive()
    {
        var results = Read(Write("t.csv", $"{ToolkitHeader}\n1,u,n,,,fine,1700000000,\n2,u,n,,,\"never closed,1700000000,\n3,u,n,,,lost,1700000000,\n"));
        Assert.Equal("1", Assert.Single(results, r => r.IsSignal).Signal!.Id);
        var error = OnlyError(results);
        Assert.Equal((2L, "2", "message"), (error.Position, error.RecordId, error.Field));
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Embedded_line_breaks_in_quotes_stay_in_the_field_in_both_formats()
    {
        var toolkit = Read(Write("t.csv", $"{ToolkitHeader}\r\n1,u,n,,,\"line one\nline two\r\nline three\",1700000000,\r\n2,u,n,,,x,1700000000,\r\n"));
        Assert.Equal("line one\nline two\r\nline three", toolkit[0].Signal?.Text);
        Assert.Equal("2", toolkit[1].Signal?.Id);
        // An id may not hold a line break, but the record still ends where its quotes say.
        var coortweet = Read(Write("c.csv", $"{CooRTweetHeader}\n\"obj\nect\",a,c1,1700000000\no,a,c2,1700000000\n"));
        Assert.Equal((1L, "c1", "object_id"), (coortweet[0].Error?.Position, coortweet[0].Error?.RecordId, coortweet[0].Error?.Field));
        Assert.Equal("c2", coortweet[1].Signal?.Id);
    }

    [Theory]
    [InlineData("1,u,n,,,x,1700000000\n", 7)] // a column short
    [InlineData("1,u,n,,,x,1700000000,,extra\n", 9)]
    [InlineData("1\n", 1)]
    public void Wrong_column_counts_are_errors_of_their_record_and_reading_goes_on(string row, int columns)
    {
        var results = Read(Write("t.csv", $"{ToolkitHeader}\n{row}2,u,n,,,ok,1700000000,\n"));
        var error = OnlyError(results);
        Assert.Equal((1L, SignalError.WholeRecord), (error.Position, error.Field));
        Assert.Contains($"has {columns} fields, expected 8", error.Message);
        Assert.Equal("2", Assert.Single(results, r => r.IsSignal).Signal!.Id);
    }

    [Fact]
    public void Ten_thousand_columns_are_one_error_that_does_not_keep_them_all()
    {
        var results = Read(Write("c.csv", $"{CooRTweetHeader}\n{string.Join(",", Enumerable.Repeat("x", 10_000))}\no,a,c,1700000000\n"));
        Assert.Contains("has 10000 fields", OnlyError(results).Message);
        Assert.Single(results, r => r.IsSignal);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })] // UTF-8
    [InlineData(new byte[] { 0xFF, 0xFE })] // UTF-16 little endian: the whole file is decoded as such
    public void A_byte_order_mark_is_not_part_of_the_first_column(byte[] bom)
    {
        var encoding = bom.Length == 2 ? Encoding.Unicode : Encoding.UTF8;
        var path = Write("c.csv", [.. bom, .. encoding.GetBytes($"{CooRTweetHeader}\no,a,c,1700000000\n")]);
        Assert.Equal("c", Assert.Single(Read(path)).Signal?.Id);
    }

    [Fact]
    public void Carriage_return_only_line_ends_separate_records()
    {
        var results = Read(Write("c.csv", $"{CooRTweetHeader}\ro,a,c1,1700000000\ro,b,c2,1700000001\r"));
        Assert.Equal(["c1", "c2"], results.Select(r => r.Signal?.Id));
    }

    [Fact]
    public void An_overlong_text_is_an_error_of_its_field()
    {
        var results = Read(Write("t.csv", $"{ToolkitHeader}\n1,u,n,,,{new string('x', 10_001)},1700000000,\n"));
        var error = OnlyError(results);
        Assert.Equal((1L, "1", "message"), (error.Position, error.RecordId, error.Field));
        Assert.Contains("longer than 10000", error.Message);
    }

    [Fact]
    public void A_field_of_several_megabytes_is_an_error_of_its_field_and_is_not_held_in_memory()
    {
        var results = Read(Write("c.csv", $"{CooRTweetHeader}\no,a,c1,{new string('9', 3 * 1024 * 1024)}\no,a,c2,1700000000\n"));
        var error = OnlyError(results);
        Assert.Equal((1L, "c1", "timestamp"), (error.Position, error.RecordId, error.Field));
        Assert.Contains("longer than", error.Message);
        Assert.Equal("c2", Assert.Single(results, r => r.IsSignal).Signal!.Id);
    }

    [Fact]
    public void A_quote_never_closed_over_a_large_file_is_one_bounded_error()
    {
        var rows = string.Concat(Enumerable.Range(0, 100_000).Select(i => $"o,a,c{i},1700000000\n"));
        var results = Read(Write("c.csv", $"{CooRTweetHeader}\no,a,\"c,1700000000\n{rows}"));
        var error = Assert.Single(results).Error!;
        Assert.Equal((1L, "content_id"), (error.Position, error.Field));
    }

    [Fact]
    public void Oversized_ids_and_control_characters_are_errors_of_their_field()
    {
        var results = Read(Write("c.csv", $"{CooRTweetHeader}\no,a,{new string('c', 257)},1700000000\no,\"a\0\",c2,1700000000\n{new string('o', 8193)},a,c3,1700000000\n"));
        Assert.Equal([(1L, "content_id"), (2L, "account_id"), (3L, "object_id")], results.Select(r => (r.Error!.Position, r.Error.Field)));
        var toolkit = Read(Write("t.csv", $"{ToolkitHeader}\n1,u,n,\"p\u0007\",,x,1700000000,\n2,u,n,,,x,1700000000,http://a.com \"http://b\u0001.com\"\n"));
        Assert.Equal([(1L, "repost_id"), (2L, "urls")], toolkit.Select(r => (r.Error!.Position, r.Error.Field)));
    }

    [Theory]
    [InlineData(ToolkitHeader + "\n")]
    [InlineData(CooRTweetHeader + "\r\n")]
    [InlineData(CooRTweetHeader)]
    public void A_header_alone_is_an_empty_file_of_its_format(string content) => Assert.Empty(Read(Write("h.csv", content)));

    [Fact]
    public void An_empty_file_is_one_error_saying_so_unless_its_format_is_given()
    {
        var path = Write("e.csv", "");
        var error = Assert.Single(Read(path)).Error!;
        Assert.Equal(0, error.Position);
        Assert.Contains("is empty", error.Message);
        Assert.Empty(Read(path, SignalFileFormat.ToolkitCsv));
        Assert.Empty(Read(path, SignalFileFormat.Ndjson));
        Assert.Contains("is empty", Assert.Single(Read(Write("blank.csv", "\n\r\n  \n"))).Error?.Message);
    }

    [Fact]
    public void Binary_garbage_is_one_error_for_the_file_in_every_csv_format()
    {
        var garbage = new byte[200_000];
        new Random(5).NextBytes(garbage);
        garbage[0] = 0x00; // not gzip's magic, not a '{'
        var path = Write("g.bin", garbage);
        Assert.Equal(0, Assert.Single(Read(path)).Error!.Position);
        Assert.Equal(0, Assert.Single(Read(path, SignalFileFormat.ToolkitCsv)).Error!.Position);
        Assert.Equal(0, Assert.Single(Read(path, SignalFileFormat.CooRTweetCsv)).Error!.Position);
        Assert.All(Read(path, SignalFileFormat.Ndjson), r => Assert.True(r.Error?.Position >= 1));
    }

    [Fact]
    public void Garbage_after_gzip_magic_is_one_error_for_the_file()
    {
        var path = Write("bad.csv.gz", [0x1F, 0x8B, 0x08, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x12, 0x34]);
        var error = Assert.Single(Read(path)).Error!;
        Assert.Contains("cannot be read", error.Message);
        Assert.All(Read(path, SignalFileFormat.CooRTweetCsv), r => Assert.Contains("cannot be read", r.Error?.Message));
        Assert.All(Read(path, SignalFileFormat.Ndjson), r => Assert.Contains("cannot be read", r.Error?.Message));
    }

    [Theory]
    [InlineData(SignalFileFormat.CooRTweetCsv)]
    [InlineData(SignalFileFormat.Ndjson)]
    public void Truncated_gzip_keeps_what_was_read_and_ends_in_one_error(SignalFileFormat format)
    {
        var text = new StringBuilder(format == SignalFileFormat.Ndjson ? "" : CooRTweetHeader + "\n");
        for (var i = 0; i < 50_000; i++)
        {
            text.Append(format == SignalFileFormat.Ndjson
                ? $$"""{"id":"c{{i}}","account":"a{{i % 97}}","kind":"like","target":"o{{i % 13}}","timestamp":"2024-05-01T12:00:00Z"}""" + "\n"
                : $"o{i % 13},a{i % 97},c{i},1700000000\n");
        }
        var full = Write("full.gz", text.ToString(), gzip: true);
        var bytes = File.ReadAllBytes(full);
        var path = Write("cut.gz", bytes[..(bytes.Length / 2)]);

        var results = Read(path, format);
        var error = results[^1].Error;
        Assert.NotNull(error);
        Assert.Contains("cannot be read", error.Message);
        Assert.True(results.Count(r => r.IsSignal) > 1000);
        Assert.Equal(results.Count - 1, results.Count(r => r.IsSignal));
    }

    [Fact]
    public void Concatenated_gzip_members_are_read_whole_and_not_taken_for_truncation()
    {
        var first = File.ReadAllBytes(Write("1.gz", $"{CooRTweetHeader}\no,a,c1,1700000000\n", gzip: true));
        var second = File.ReadAllBytes(Write("2.gz", "o,a,c2,1700000000\n", gzip: true));
        var results = Read(Write("both.csv.gz", [.. first, .. second]));
        Assert.Equal(["c1", "c2"], results.Select(r => r.Signal?.Id));
    }

    [Fact]
    public void Only_a_missing_file_throws()
    {
        Assert.Throws<FileNotFoundException>(() => SignalFileReader.Open(Path.Combine(_folder, "nope.csv")));
    }
}
