using System.Text;
using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Formats;

public class NdjsonSignalReaderTests
{
    private const string Valid = """{"id":"s1","account":"a1","kind":"repost","target":"p9","timestamp":"2024-05-01T12:00:00Z"}""";

    private static SignalReadResult Parse(string line, long position = 1) => NdjsonSignalReader.ParseLine(Encoding.UTF8.GetBytes(line), position);

    private static SignalError ParseError(string line)
    {
        var result = Parse(line);
        Assert.False(result.IsSignal, $"expected an error, got {result}");
        return result.Error;
    }

    [Fact]
    public void Valid_line_becomes_a_signal_with_UTC_timestamp()
    {
        var result = Parse(Valid);
        Assert.True(result.IsSignal, result.ToString());
        Assert.Equal(new Signal("s1", "a1", SignalKind.Repost, "p9", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)), result.Signal);
        Assert.Equal(TimeSpan.Zero, result.Signal.Timestamp.Offset);
    }

    [Fact]
    public void All_optional_fields_are_read()
    {
        var result = Parse("""{"id":"s1","account":"a1","kind":"post","target":"s1","timestamp":1714564800000,"text":"hello","fingerprint":"ph:abc","account_created_at":"2020-01-02T03:04:05+02:00","handle":"al","display_name":"Al Ice"}""");
        Assert.True(result.IsSignal, result.ToString());
        var s = result.Signal;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714564800000), s.Timestamp);
        Assert.Equal("hello", s.Text);
        Assert.Equal("ph:abc", s.Fingerprint);
        Assert.Equal(new AccountProfile(new DateTimeOffset(2020, 1, 2, 1, 4, 5, TimeSpan.Zero), "al", "Al Ice"), s.Profile);
    }

    [Fact]
    public void Null_optional_fields_count_as_absent()
    {
        var result = Parse("""{"id":"s1","account":"a1","kind":"post","target":"s1","timestamp":1714564800000,"text":null,"handle":null}""");
        Assert.True(result.IsSignal, result.ToString());
        Assert.Null(result.Signal.Text);
        Assert.Null(result.Signal.Profile);
    }

    [Fact]
    public void Account_counts_are_read_and_alone_make_a_profile()
    {
        var result = Parse(Valid.Replace("}", ",\"account_followers\":0,\"account_following\":1000000000000,\"account_posts\":37}"));
        Assert.True(result.IsSignal, result.ToString());
        Assert.Equal(new AccountProfile(null, null, null, Followers: 0, Following: 1_000_000_000_000, Posts: 37), result.Signal.Profile);
    }

    [Fact]
    public void Null_account_counts_count_as_absent()
    {
        var result = Parse(Valid.Replace("}", ",\"account_followers\":null,\"account_following\":null,\"account_posts\":12,\"handle\":\"h\"}"));
        Assert.True(result.IsSignal, result.ToString());
        Assert.Equal(new AccountProfile(null, "h", null, Posts: 12), result.Signal.Profile);
        Assert.Null(Parse(Valid.Replace("}", ",\"account_followers\":null}")).Signal?.Profile);
    }

    [Theory]
    [InlineData("account_followers", "\"12\"", "must be a whole number from 0 to 1,000,000,000,000 (got \"12\"); send it as a JSON number, not a string")]
    [InlineData("account_following", "1.5", "must be a whole number from 0 to 1,000,000,000,000 (got 1.5)")]
    [InlineData("account_posts", "-1", "must be a whole number from 0 to 1,000,000,000,000 (got -1)")]
    [InlineData("account_followers", "1000000000001", "must be a whole number from 0 to 1,000,000,000,000 (got 1000000000001)")]
    [InlineData("account_following", "99999999999999999999999", "must be a whole number from 0 to 1,000,000,000,000 (got 99999999999999999999999)")]
    [InlineData("account_posts", "1e3", "must be a whole number from 0 to 1,000,000,000,000 (got 1e3)")]
    [InlineData("account_posts", "[1]", "must be a whole number from 0 to 1,000,000,000,000 (got an array)")]
    public void Bad_account_counts_are_errors_naming_the_field_and_the_record(string field, string value, string message)
    {
        // The id comes last, so the error can name the record only because reading goes on past the bad count.
        var line = Valid.Replace("\"id\":\"s1\",", "").Replace("}", $",\"{field}\":{value},\"id\":\"s7\"}}");
        var error = NdjsonSignalReader.ParseLine(Encoding.UTF8.GetBytes(line), 4).Error!;
        Assert.Equal((4L, "s7", field, message), (error.Position, error.RecordId, error.Field, error.Message));
        Assert.StartsWith($"record 4 (id \"s7\"): \"{field}\" must be a whole number", error.ToString());
    }

    [Fact]
    public void Kind_is_case_insensitive()
    {
        var result = Parse(Valid.Replace("\"repost\"", "\"Repost\""));
        Assert.Equal(SignalKind.Repost, result.Signal?.Kind);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00.123Z", 123)]
    [InlineData("2024-05-01T14:00:00+02:00", 0)]
    [InlineData("2024-05-01T14:00:00+0200", 0)]
    [InlineData("2024-05-01 12:00:00Z", 0)]
    [InlineData("2024-05-01T07:00:00.123-05:00", 123)]
    public void Iso_timestamps_with_an_offset_are_accepted(string timestamp, int milliseconds)
    {
        var result = Parse(Valid.Replace("2024-05-01T12:00:00Z", timestamp));
        Assert.True(result.IsSignal, result.ToString());
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, milliseconds, TimeSpan.Zero), result.Signal.Timestamp);
    }

    [Fact]
    public void Error_reads_as_a_sentence_naming_position_id_field_and_value()
    {
        var error = NdjsonSignalReader.ParseLine(Encoding.UTF8.GetBytes(Valid.Replace("\"2024-05-01T12:00:00Z\"", "\"yesterday\"").Replace("s1", "s9")), 17).Error!;
        Assert.StartsWith("record 17 (id \"s9\"): \"timestamp\" is not ISO 8601 or Unix milliseconds (got \"yesterday\")", error.ToString());
        Assert.Equal(17, error.Position);
        Assert.Equal("s9", error.RecordId);
        Assert.Equal("timestamp", error.Field);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00")]        // no offset: zone unknown
    [InlineData("2024-05-01")]                 // no time
    [InlineData("1714564800000")]              // milliseconds as a string
    [InlineData("2024-13-01T12:00:00Z")]       // no such month
    [InlineData("")]
    public void Timestamps_that_are_not_ISO_with_offset_are_rejected(string timestamp)
    {
        var error = ParseError(Valid.Replace("2024-05-01T12:00:00Z", timestamp));
        Assert.Equal("timestamp", error.Field);
        Assert.Contains("is not ISO 8601 or Unix milliseconds", error.Message);
    }

    [Theory]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("\"2101-01-01T00:00:00Z\"")]
    [InlineData("1714564800")] // seconds sent as milliseconds: 1970
    public void Timestamps_outside_2000_to_2100_are_rejected(string timestamp)
    {
        var error = ParseError(Valid.Replace("\"2024-05-01T12:00:00Z\"", timestamp));
        Assert.Equal("timestamp", error.Field);
        Assert.Contains("outside the years 2000-2100", error.Message);
    }

    [Fact]
    public void Seconds_sent_as_milliseconds_get_a_hint()
    {
        var error = ParseError(Valid.Replace("\"2024-05-01T12:00:00Z\"", "1714564800"));
        Assert.Contains("seconds instead of milliseconds", error.Message);
    }

    [Fact]
    public void Account_created_at_follows_the_timestamp_rules()
    {
        var error = ParseError(Valid.Replace("}", ",\"account_created_at\":\"1990-01-01T00:00:00Z\"}"));
        Assert.Equal("account_created_at", error.Field);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("account")]
    [InlineData("kind")]
    [InlineData("target")]
    [InlineData("timestamp")]
    public void Missing_required_field_is_named(string field)
    {
        var line = field switch
        {
            "id" => Valid.Replace("\"id\":\"s1\",", ""),
            "account" => Valid.Replace("\"account\":\"a1\",", ""),
            "kind" => Valid.Replace("\"kind\":\"repost\",", ""),
            "target" => Valid.Replace("\"target\":\"p9\",", ""),
            _ => Valid.Replace(",\"timestamp\":\"2024-05-01T12:00:00Z\"", ""),
        };
        var error = ParseError(line);
        Assert.Equal(field, error.Field);
        Assert.Equal("is required", error.Message);
    }

    [Fact]
    public void Unknown_field_is_an_error_naming_it_and_the_allowed_ones()
    {
        var error = ParseError(Valid.Replace("}", ",\"txt\":\"typo\"}"));
        Assert.Equal("txt", error.Field);
        Assert.Equal("s1", error.RecordId);
        Assert.Contains("display_name, account_followers, account_following, account_posts", error.Message);
    }

    [Fact]
    public void Unknown_kind_lists_the_allowed_names()
    {
        var error = ParseError(Valid.Replace("\"repost\"", "\"retweet\""));
        Assert.Equal("kind", error.Field);
        Assert.Contains(SignalKinds.AllNames, error.Message);
        Assert.Contains("\"retweet\"", error.Message);
    }

    [Theory]
    [InlineData("\"id\":\"s1\"", "\"id\":42", "id", "must be a string (got 42)")]
    [InlineData("\"account\":\"a1\"", "\"account\":null", "account", "must be a string (got null)")]
    [InlineData("\"target\":\"p9\"", "\"target\":[\"p9\"]", "target", "must be a string (got an array)")]
    [InlineData("\"kind\":\"repost\"", "\"kind\":{\"k\":1}", "kind", "must be a string (got an object)")]
    [InlineData("\"timestamp\":\"2024-05-01T12:00:00Z\"", "\"timestamp\":true", "timestamp", "must be an ISO 8601 string or a number of Unix milliseconds (got true)")]
    public void Wrong_json_types_are_named(string from, string to, string field, string message)
    {
        var error = ParseError(Valid.Replace(from, to));
        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Id_rules_empty_too_long_control_characters()
    {
        Assert.Equal("must not be empty", ParseError(Valid.Replace("\"s1\"", "\"\"")).Message);
        Assert.Contains("longer than 256", ParseError(Valid.Replace("\"s1\"", $"\"{new string('x', 257)}\"")).Message);
        Assert.True(Parse(Valid.Replace("\"s1\"", $"\"{new string('x', 256)}\"")).IsSignal);
        var control = ParseError(Valid.Replace("\"s1\"", "\"s\\u00071\""));
        Assert.Equal("id", control.Field);
        Assert.Contains("control character (U+0007", control.Message);
    }

    [Fact]
    public void Text_longer_than_10000_characters_is_rejected()
    {
        Assert.True(Parse(Valid.Replace("}", $",\"text\":\"{new string('t', 10_000)}\"}}")).IsSignal);
        var error = ParseError(Valid.Replace("}", $",\"text\":\"{new string('t', 10_001)}\"}}"));
        Assert.Equal("text", error.Field);
    }

    [Fact]
    public void Duplicate_field_is_an_error()
    {
        var error = ParseError(Valid.Replace("}", ",\"id\":\"s2\"}"));
        Assert.Equal("id", error.Field);
        Assert.Equal("appears more than once", error.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"s1\",")]
    [InlineData("{\"id\":\"s1\"} {}")]
    [InlineData("not json")]
    [InlineData("{'id':'s1'}")]
    public void Invalid_json_is_a_whole_record_error(string line)
    {
        var error = ParseError(line);
        Assert.Equal(SignalError.WholeRecord, error.Field);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Json_that_is_not_an_object_is_rejected()
    {
        var error = ParseError("[1,2]");
        Assert.Equal("is not a JSON object (got an array)", error.Message);
        Assert.StartsWith("record 1: is not", error.ToString());
    }

    [Fact]
    public void Error_names_the_id_even_when_it_comes_after_the_bad_field()
    {
        var error = ParseError("""{"timestamp":"soon","id":"late","account":"a","kind":"post","target":"late"}""");
        Assert.Equal("late", error.RecordId);
    }

    [Fact]
    public void Bad_lines_do_not_stop_good_ones_and_blank_lines_are_skipped()
    {
        var text = string.Join("\n",
            Valid,
            "",
            "{broken",
            "   ",
            Valid.Replace("s1", "s2").Replace("\"repost\"", "\"nope\""),
            Valid.Replace("s1", "s3")) + "\n";
        foreach (var results in new[]
        {
            NdjsonSignalReader.Read(new StringReader(text)).ToList(),
            NdjsonSignalReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList(),
        })
        {
            Assert.Equal(4, results.Count);
            Assert.Equal("s1", results[0].Signal?.Id);
            Assert.Equal(3, results[1].Error?.Position);
            Assert.Equal(5, results[2].Error?.Position);
            Assert.Equal("s2", results[2].Error?.RecordId);
            Assert.Equal("s3", results[3].Signal?.Id);
        }
    }

    [Fact]
    public void Stream_reader_handles_CRLF_BOM_no_final_newline_and_lines_across_buffers()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => Valid.Replace("s1", $"s{i}").Replace("}", $",\"text\":\"{new string('é', i % 50)}\"}}"));
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join("\r\n", lines))).ToArray();
        var results = NdjsonSignalReader.Read(new MemoryStream(bytes)).ToList();
        Assert.Equal(5000, results.Count);
        Assert.All(results, r => Assert.True(r.IsSignal, r.ToString()));
        Assert.Equal("s4999", results[^1].Signal!.Id);
        Assert.Equal(new string('é', 4999 % 50), results[^1].Signal!.Text);
    }

    [Fact]
    public void Over_long_line_is_reported_and_skipped()
    {
        var huge = "{\"id\":\"" + new string('x', NdjsonSignalReader.MaxLineBytes + 10) + "\"}";
        var text = Valid + "\n" + huge + "\n" + Valid.Replace("s1", "s3") + "\n";
        var results = NdjsonSignalReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal(2, results[1].Error?.Position);
        Assert.Contains("longer than", results[1].Error?.Message);
        Assert.Equal("s3", results[2].Signal?.Id);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_not_an_exception()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'a') + 1, new byte[] { 0xC3, 0x28 });
        var result = NdjsonSignalReader.ParseLine(bytes.ToArray(), 4);
        Assert.False(result.IsSignal);
        Assert.Equal(4, result.Error.Position);
    }
}
