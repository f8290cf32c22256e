using Cib.Detection.Formats;

namespace Cib.Detection.Tests.Formats;

public class CsvReaderTests
{
    private static List<string[]> ReadAll(string text, out List<string> errors, int? expected = null)
    {
        var csv = new CsvReader(new StringReader(text)) { ExpectedFieldCount = expected };
        var records = new List<string[]>();
        errors = [];
        CsvReadStatus status;
        while ((status = csv.Read()) != CsvReadStatus.End)
        {
            if (status == CsvReadStatus.Record)
            {
                records.Add([.. csv.Fields]);
            }
            else
            {
                errors.Add($"record {csv.RecordNumber} {csv.Error}");
            }
        }
        return records;
    }

    [Fact]
    public void Plain_fields_split_on_commas_and_empty_fields_are_kept()
    {
        var records = ReadAll("a,b,c\n1,,3\n,,\n", out var errors);
        Assert.Empty(errors);
        Assert.Equal([["a", "b", "c"], ["1", "", "3"], ["", "", ""]], records);
    }

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var records = ReadAll("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"line one\nline two\r\nline three\"\n4,\"\"\n", out var errors);
        Assert.Empty(errors);
        Assert.Equal(["a, b", "say \"hi\"", "line one\nline two\r\nline three", ""], records.Skip(1).Select(r => r[1]));
    }

    [Fact]
    public void CRLF_CR_and_missing_final_newline_end_records()
    {
        var records = ReadAll("a,b\r\n1,2\r3,4\n5,6", out var errors);
        Assert.Empty(errors);
        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], records);
    }

    [Fact]
    public void Blank_lines_between_records_are_skipped()
    {
        Assert.Equal(2, ReadAll("a,b\n\n\r\n1,2\n\n", out _).Count);
    }

    [Fact]
    public void Stray_quotes_are_kept_as_Python_csv_keeps_them()
    {
        var records = ReadAll("ab\"c,\"x\"y\n", out var errors);
        Assert.Empty(errors);
        Assert.Equal(["ab\"c", "xy"], records[0]);
    }

    [Fact]
    public void Unterminated_quote_is_an_error_naming_the_line_it_opened_on()
    {
        var records = ReadAll("a,b\n1,2\n3,\"never closed\n4,5\n", out var errors);
        Assert.Equal(2, records.Count);
        var error = Assert.Single(errors);
        Assert.StartsWith("record 3 has a quoted field opened on line 3 that is never closed", error);
    }

    [Fact]
    public void Wrong_field_count_is_an_error_naming_the_record_and_reading_goes_on()
    {
        var records = ReadAll("a,b,c\n1,2,3\n1,2\n\"x\ny\",2,3,4\n7,8,9\n", out var errors, expected: 3);
        Assert.Equal(3, records.Count);
        Assert.Equal(["record 3 has 2 fields, expected 3 (record starts on line 3)", "record 4 has 4 fields, expected 3 (record starts on line 4)"], errors);
        Assert.Equal(["7", "8", "9"], records[^1]);
    }

    [Fact]
    public void Fields_longer_than_the_buffer_are_read_whole()
    {
        var big = new string('q', 200_000);
        var records = ReadAll($"a,b\n\"{big}\",{big}\n", out var errors);
        Assert.Empty(errors);
        Assert.Equal(big, records[1][0]);
        Assert.Equal(big, records[1][1]);
    }
}
