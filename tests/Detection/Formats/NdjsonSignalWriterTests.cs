using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Formats;

public class NdjsonSignalWriterTests
{
    private static readonly DateTimeOffset T = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Signal[] Samples =
    [
        new Signal("s1", "a1", SignalKind.Post, "s1", T),
        new Signal("s2", "a2", SignalKind.Reply, "s1", T.AddTicks(1234567), "Quote \" backslash \\ newline \n tab \t émoji 😀 <b>"),
        new Signal("s3", "a3", SignalKind.Link, "https://ex.com/?a=1&b=2", T, null, "ph:ff00",
            new AccountProfile(new DateTimeOffset(2019, 3, 4, 5, 6, 7, TimeSpan.Zero), "handle", "Display Name")),
        new Signal("s4", "a4", SignalKind.Follow, "a1", T, Profile: new AccountProfile(null, "only_handle", null)),
        new Signal("s6", "a6", SignalKind.Post, "s6", T, Profile: new AccountProfile(null, "h6", null, Followers: 0, Following: 250, Posts: 1_000_000_000_000)),
        new Signal("s7", "a7", SignalKind.Like, "s6", T, Profile: new AccountProfile(null, null, null, Posts: 3)),
        new Signal("s5", "a5", SignalKind.Hashtag, "tag", new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2))),
    ];

    public static TheoryData<Signal> Signals() => new(Samples);

    [Theory]
    [MemberData(nameof(Signals))]
    public void Written_signal_reads_back_equal(Signal signal)
    {
        var writer = new StringWriter();
        NdjsonSignalWriter.Write(writer, signal);
        var text = writer.ToString();
        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var back = NdjsonSignalReader.Read(new StringReader(text)).Single();
        Assert.True(back.IsSignal, back.ToString());
        Assert.Equal(signal, back.Signal);
    }

    [Fact]
    public void Many_signals_round_trip_through_utf8_bytes()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var signals = Samples.ToList();
        foreach (var s in signals)
        {
            NdjsonSignalWriter.Write(buffer, s);
        }
        var back = NdjsonSignalReader.Read(new MemoryStream(buffer.WrittenSpan.ToArray())).Select(r => r.Signal!).ToList();
        Assert.Equal(signals, back);
    }

    [Fact]
    public void Output_uses_the_schema_names_and_omits_absent_fields()
    {
        var line = NdjsonSignalWriter.ToLine(new Signal("s1", "a1", SignalKind.Repost, "p9", T));
        Assert.Equal("""{"id":"s1","account":"a1","kind":"repost","target":"p9","timestamp":"2024-05-01T12:00:00Z"}""", line);
        Assert.Contains("\"display_name\":\"D\"", NdjsonSignalWriter.ToLine(new Signal("s1", "a1", SignalKind.Post, "s1", T, Profile: new(null, null, "D"))));
        Assert.EndsWith(",\"account_followers\":5,\"account_posts\":0}",
            NdjsonSignalWriter.ToLine(new Signal("s1", "a1", SignalKind.Post, "s1", T, Profile: new(null, null, null, Followers: 5, Posts: 0))));
    }
}
