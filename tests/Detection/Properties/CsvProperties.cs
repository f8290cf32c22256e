using System.Text;
using Cib.Detection.Formats;
using Cib.Detection.Signals;
using FsCheck;
using FsCheck.Fluent;

namespace Cib.Detection.Tests.Properties;

public sealed class CsvProperties
{
    /// <summary>RFC 4180 quoting: a field is quoted when it is empty or holds a comma, a quote or a
    /// line break, and a quote inside is doubled. An empty field is quoted so that a record of one
    /// empty field is not a blank line, which readers skip.</summary>
    private static string Quote(string field) =>
        field.Length == 0 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static List<string[]> ReadAll(string text)
    {
        var csv = new CsvReader(new StringReader(text));
        var records = new List<string[]>();
        CsvReadStatus status;
        while ((status = csv.Read()) != CsvReadStatus.End)
        {
            records.Add(status == CsvReadStatus.Record ? [.. csv.Fields] : ["error: " + csv.Error]);
        }
        return records;
    }

    [Fact]
    public void Properly_quoted_fields_read_back_unchanged_whatever_the_line_ends()
    {
        var file =
            from records in Gen.NonEmptyListOf(Gen.NonEmptyListOf(Generators.Text(controls: true, 60)).Select(r => r.ToArray()))
            from ends in Gen.ArrayOf(Gen.Elements("\n", "\r\n", "\r"), records.Count)
            select (records.ToArray(), ends);
        Generators.Holds(file.ToArbitrary(), input =>
        {
            var (records, ends) = input;
            var text = new StringBuilder();
            for (var i = 0; i < records.Length; i++)
            {
                text.Append(string.Join(",", records[i].Select(Quote))).Append(ends[i]);
            }
            var read = ReadAll(text.ToString());
            return read.Count == records.Length && read.Zip(records).All(p => p.First.SequenceEqual(p.Second));
        }, tests: 300);
    }

    [Fact]
    public void Arbitrary_text_never_throws_in_any_csv_reader()
    {
        var soup = Gen.ListOf(Gen.Frequency(
            (4, Generators.Scalar(controls: true)),
            (3, Gen.Elements(",", "\"", "\n", "\r", "\r\n", "\"\"", "\uFEFF")),
            (1, Gen.Elements("message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n",
                "object_id,account_id,content_id,timestamp\n", "1700000000", "2024-05-01T12:00:00Z", "-1e9999", "http://x.com")))).Select(string.Concat);
        Generators.Holds(soup.ToArbitrary(), text =>
        {
            var toolkit = ToolkitCsvSignalReader.Read(new StringReader(text)).ToList();
            var coortweet = CooRTweetCsvSignalReader.Read(new StringReader(text)).ToList();
            return toolkit.Concat(coortweet).All(r => r.IsSignal || (r.Error.Position >= 0 && r.Error.Message.Length > 0));
        }, tests: 1000);
    }

    [Fact]
    public void CooRTweet_rows_written_with_quoting_read_back_as_the_same_signals()
    {
        var rows = Gen.NonEmptyListOf(
            from target in Generators.Identifier
            from account in Generators.Identifier
            from id in Generators.Identifier
            from at in Generators.Instant
            select new Signal(id, account, SignalKind.Like, target, new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero)));
        Generators.Holds(rows.ToArbitrary(), signals =>
        {
            var text = new StringBuilder("object_id,account_id,content_id,timestamp\r\n");
            foreach (var s in signals)
            {
                text.Append(Quote(s.Target)).Append(',').Append(Quote(s.Account)).Append(',').Append(Quote(s.Id)).Append(',')
                    .Append(s.Timestamp.ToUnixTimeSeconds()).Append("\r\n");
            }
            var read = CooRTweetCsvSignalReader.Read(new StringReader(text.ToString()), SignalKind.Like).Select(r => r.Signal).ToList();
            return read.SequenceEqual(signals);
        }, tests: 200);
    }
}
