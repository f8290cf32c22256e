using System.Text;
using Cib.Detection.Formats;

namespace Cib.Detection.Tests.Properties;

/// <summary>NDJSON lines no one should send: each is one error that names the field at fault.</summary>
public sealed class HostileNdjsonTests
{
    private const string Head = """{"id":"s1","account":"a1","kind":"repost","target":"p1",""";

    private static SignalError Error(string line) => NdjsonSignalReader.ParseLine(line, 9).Error ?? throw new InvalidOperationException("accepted: " + line);

    [Theory]
    [InlineData("\"timestamp\":1e400", "timestamp")] // beyond double's range: used to throw FormatException
    [InlineData("\"timestamp\":-1e400", "timestamp")]
    [InlineData("\"timestamp\":99999999999999999999999", "timestamp")]
    [InlineData("\"timestamp\":-1", "timestamp")]
    [InlineData("\"timestamp\":\"0001-01-01T00:00:00Z\"", "timestamp")]
    [InlineData("\"timestamp\":\"9999-12-31T23:59:59Z\"", "timestamp")]
    [InlineData("\"timestamp\":\"9999-12-31T23:59:59-14:00\"", "timestamp")]
    [InlineData("\"timestamp\":\"NaN\"", "timestamp")]
    [InlineData("\"timestamp\":1767607200000,\"account_created_at\":1e400", "account_created_at")]
    [InlineData("\"timestamp\":1767607200000,\"text\":[[[[[[[[[[1]]]]]]]]]]", "text")]
    [InlineData("\"timestamp\":1767607200000,\"nope\":{\"a\":{\"b\":{\"c\":{}}}}", "nope")]
    [InlineData("\"timestamp\":1767607200000,\"handle\":\"\\u0000\"", "handle")]
    [InlineData("\"timestamp\":1767607200000,\"fingerprint\":\"\\ud800\"", "fingerprint")]
    public void A_bad_value_is_an_error_of_its_field(string rest, string field)
    {
        var error = Error(Head + rest + "}");
        Assert.Equal((9L, "s1", field), (error.Position, error.RecordId, error.Field));
    }

    [Fact]
    public void Ten_thousand_nested_arrays_in_a_field_are_an_error_of_that_field()
    {
        var error = Error(Head + "\"timestamp\":1767607200000,\"text\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
        Assert.Equal(("text", "must be a string (got an array)"), (error.Field, error.Message));
    }

    [Fact]
    public void Invalid_utf8_in_a_value_is_an_error_of_its_field()
    {
        byte[] line = [.. Encoding.UTF8.GetBytes(Head + "\"timestamp\":1767607200000,\"text\":\"a"), 0xC3, 0x28, .. "\"}"u8];
        var error = NdjsonSignalReader.ParseLine(line, 1).Error!;
        Assert.Equal("text", error.Field);
    }

    [Theory]
    [InlineData("account", 257)]
    [InlineData("target", 8193)]
    [InlineData("display_name", 257)]
    public void Overlong_strings_are_errors_of_their_field(string field, int length)
    {
        var line = $$"""{"id":"s1","account":"a1","kind":"like","target":"p1","timestamp":1767607200000,"{{field}}":"{{new string('x', length)}}"}""";
        line = line.Replace($"\"{field}\":\"{(field == "account" ? "a1" : "p1")}\",", "", StringComparison.Ordinal);
        var error = Error(line);
        Assert.Equal(field, error.Field);
        Assert.Contains("longer than", error.Message);
    }

    [Fact]
    public void A_huge_number_is_cut_in_the_message()
    {
        var error = Error(Head + "\"timestamp\":1" + new string('0', 100_000) + "}");
        Assert.True(error.Message.Length < 300, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
