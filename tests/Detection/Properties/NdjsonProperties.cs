using System.Text;
using Cib.Detection.Formats;
using Cib.Detection.Signals;
using FsCheck;
using FsCheck.Fluent;

namespace Cib.Detection.Tests.Properties;

public sealed class NdjsonProperties
{
    private static string WriteAll(IEnumerable<Signal> signals)
    {
        var writer = new StringWriter();
        foreach (var signal in signals)
        {
            NdjsonSignalWriter.Write(writer, signal);
        }
        return writer.ToString();
    }

    [Fact]
    public void Written_signals_read_back_equal_from_bytes_and_from_text()
    {
        Generators.Holds(Gen.ListOf(Generators.Signal, 5).ToArbitrary(), signals =>
        {
            var ndjson = WriteAll(signals);
            var fromBytes = NdjsonSignalReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(ndjson))).Select(r => r.Signal).ToList();
            var fromText = NdjsonSignalReader.Read(new StringReader(ndjson)).Select(r => r.Signal).ToList();
            return fromBytes.SequenceEqual(signals) && fromText.SequenceEqual(signals);
        }, tests: 200);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw_and_every_error_has_a_line()
    {
        var bytes = Gen.ArrayOf(Gen.Frequency(
            (3, Gen.Choose(0, 255).Select(b => (byte)b)),
            (1, Gen.Elements("{}[]\":,\n\r\\ 0e-".Select(c => (byte)c).ToArray())))).ToArbitrary();
        Generators.Holds(bytes, input =>
        {
            var lines = input.Count(b => b == (byte)'\n') + 1;
            return NdjsonSignalReader.Read(new MemoryStream(input))
                .All(r => r.IsSignal || (r.Error.Position >= 1 && r.Error.Position <= lines && r.Error.Message.Length > 0));
        }, tests: 500);
    }

    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ":", ",", " ", "\"", "\"id\"", "\"account\"", "\"kind\"", "\"target\"", "\"timestamp\"", "\"text\"",
        "\"fingerprint\"", "\"handle\"", "\"display_name\"", "\"account_created_at\"", "\"account_followers\"", "\"account_posts\"", "\"extra\"", "\"s1\"", "\"a1\"",
        "\"repost\"", "\"Repost\"", "\"p1\"", "\"2026-01-05T10:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "1767607200000", "-1", "0", "1e400", "-1e400", "1.5", "99999999999999999999999", "NaN", "Infinity", "null", "true",
        "false", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\uZZZZ\"", "\"\u00e9\"", "\"\\\"\"", "//", "/*",
    ];

    [Fact]
    public void Json_token_soup_never_throws_and_errors_name_the_line_given()
    {
        var soup = Gen.ListOf(Gen.Elements(JsonTokens)).Select(string.Concat).ToArbitrary();
        Generators.Holds(soup, line =>
        {
            var result = NdjsonSignalReader.ParseLine(line, 42);
            return result.IsSignal || (result.Error.Position == 42 && result.Error.Message.Length > 0);
        }, tests: 2000);
    }

    [Fact]
    public void Arbitrary_strings_with_lone_surrogates_never_throw()
    {
        var units = Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(chars => new string(chars)).ToArbitrary();
        Generators.Holds(units, line =>
        {
            var result = NdjsonSignalReader.ParseLine(line, 7);
            var fromText = NdjsonSignalReader.Read(new StringReader(line)).ToList();
            return (result.IsSignal || result.Error.Position == 7) && fromText.All(r => r.IsSignal || r.Error.Position >= 1);
        }, tests: 500);
    }

    [Fact]
    public void Mutated_valid_lines_never_throw()
    {
        var mutated =
            from signal in Generators.Signal
            from at in Gen.Choose(0, 1000)
            from value in Gen.Choose(0, 255)
            from how in Gen.Choose(0, 2)
            select Mutate(Encoding.UTF8.GetBytes(NdjsonSignalWriter.ToLine(signal)), at, (byte)value, how);
        Generators.Holds(mutated.ToArbitrary(), bytes =>
        {
            var result = NdjsonSignalReader.ParseLine(bytes, 3);
            return result.IsSignal || result.Error.Position == 3;
        }, tests: 2000);
    }

    private static byte[] Mutate(byte[] line, int at, byte value, int how)
    {
        var i = at % line.Length;
        return how switch
        {
            0 => [.. line[..i], value, .. line[(i + 1)..]],
            1 => [.. line[..i], value, .. line[i..]],
            _ => [.. line[..i], .. line[(i + 1)..]],
        };
    }
}
