using Cib.Detection.Formats;
using Cib.Detection.Signals;

namespace Cib.Detection.Tests.Formats;

public class CooRTweetCsvSignalReaderTests
{
    private const string Csv = "object_id,account_id,content_id,timestamp\nO1,A1,C1,1700000000\nO1,A2,C2,2023-11-14T22:13:20Z\n";

    [Fact]
    public void Rows_become_signals_of_the_default_kind_repost()
    {
        var signals = CooRTweetCsvSignalReader.Read(new StringReader(Csv)).Select(r => r.Signal).ToList();
        Assert.Equal(
            [
                new Signal("C1", "A1", SignalKind.Repost, "O1", DateTimeOffset.FromUnixTimeSeconds(1700000000)),
                new Signal("C2", "A2", SignalKind.Repost, "O1", DateTimeOffset.FromUnixTimeSeconds(1700000000)),
            ],
            signals);
    }

    [Fact]
    public void Caller_chooses_the_kind()
    {
        Assert.All(CooRTweetCsvSignalReader.Read(new StringReader(Csv), SignalKind.Hashtag), r => Assert.Equal(SignalKind.Hashtag, r.Signal?.Kind));
    }

    [Fact]
    public void Bad_rows_name_their_column_and_do_not_stop_reading()
    {
        var results = CooRTweetCsvSignalReader.Read(new StringReader("object_id,account_id,content_id,timestamp\nO1,A1,C1,soon\nO1,,C2,1\nO1,A3,C3,1\n")).ToList();
        Assert.Equal(("timestamp", "C1", 1L), (results[0].Error?.Field, results[0].Error?.RecordId, results[0].Error!.Position));
        Assert.Equal("account_id", results[1].Error?.Field);
        Assert.Equal("C3", results[2].Signal?.Id);
    }
}
