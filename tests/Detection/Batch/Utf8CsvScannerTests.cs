using System.Text;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;
using Cib.Detection.Formats;

namespace Cib.Detection.Tests.Batch;

public class Utf8CsvScannerTests
{
    private static List<string[]> Scan(string text)
    {
        var csv = new Utf8CsvScanner(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        var records = new List<string[]>();
        while (csv.Read(out _))
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Encoding.UTF8.GetString(csv.Field(i));
            }
            records.Add(fields);
        }
        return records;
    }

    private static List<string[]> Reference(string text)
    {
        var csv = new CsvReader(new StringReader(text));
        var records = new List<string[]>();
        while (csv.Read() != CsvReadStatus.End)
        {
            records.Add([.. csv.Fields]);
        }
        return records;
    }

    [Fact]
    public void Quoted_fields_keep_commas_line_breaks_and_doubled_quotes()
    {
        var records = Scan("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",\r\n\n2,\"\",\"é\"");
        Assert.Equal(3, records.Count);
        Assert.Equal(["1", "x, \"y\"\nz", ""], records[1]);
        Assert.Equal(["2", "", "é"], records[2]);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_kept_as_pythons_csv_keeps_it()
    {
        const string Text = "\"ab\"\"c\"\"\",\"x\"y\"z\"\n";
        Assert.Equal(["ab\"c\"", "xy\"z\""], Scan(Text)[0]);
        Assert.Equal(Reference(Text)[0], Scan(Text)[0]);
    }

    [Fact]
    public void An_unclosed_quote_is_reported()
    {
        var csv = new Utf8CsvScanner(new MemoryStream(Encoding.UTF8.GetBytes("a,b\n1,\"open\n")));
        Assert.True(csv.Read(out _));
        Assert.False(csv.Read(out var unclosed));
        Assert.True(unclosed);
    }

    [Fact]
    public void Records_across_the_buffer_boundary_read_as_the_reference_reader_reads_them()
    {
        var random = new Random(5);
        var sb = new StringBuilder();
        string[] pieces = ["plain", "with, comma", "quote \" inside", "line\nbreak", "crlf\r\nbreak", "", "ünïcødé", "@user Text"];
        while (sb.Length < 3 * 1024 * 1024)
        {
            for (var f = 0; f < 4; f++)
            {
                var value = pieces[random.Next(pieces.Length)] + random.Next(1000);
                if (f > 0)
                {
                    sb.Append(',');
                }
                sb.Append(value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || random.Next(4) == 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value);
            }
            sb.Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }
        var text = sb.ToString();
        var actual = Scan(text);
        var expected = Reference(text);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Theory]
    [InlineData("Hello World @bob")]
    [InlineData("  Same  Text @x \t\n")]
    [InlineData("@only")]
    [InlineData("a @ b @_x_1 c@d")]
    [InlineData("ÉCOLE  Ünïcødé @Ünï")]
    [InlineData("")]
    public void The_span_form_of_the_text_normalizer_writes_what_the_string_form_returns(string text)
    {
        var buffer = new char[text.Length];
        var n = TextNormalizer.Normalize(text, buffer);
        Assert.Equal(TextNormalizer.Normalize(text), new string(buffer, 0, n));
    }
}
