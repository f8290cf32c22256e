using System.IO.Compression;
using System.Text;
using Cib.Detection.Batch;

namespace Cib.Detection.Tests.Batch;

public class ToolkitChunkedReaderTests
{
    private const string Header = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n";

    /// <summary>Every message as one line, so that two readings can be compared row for row.</summary>
    private static List<string> Rows(ToolkitMessages m)
    {
        var rows = new List<string>();
        for (var i = 0; i < m.Count; i++)
        {
            var urls = string.Join(' ', m.UrlKeys[m.UrlStart[i]..m.UrlStart[i + 1]].ToArray());
            rows.Add($"{m.UserName(m.User[i])}|{m.Ticks[i]}|{(m.Repost[i] < 0 ? "-" : "r")}|{(m.Text[i] < 0 ? "-" : "t")}|{m.UrlStart[i + 1] - m.UrlStart[i]}");
        }
        return rows;
    }

    /// <summary>Key numbers differ between readings; which messages share a key must not.</summary>
    private static List<string> Partition(ToolkitMessages m, Func<int, int> key)
    {
        var first = new Dictionary<int, int>();
        var rows = new List<string>();
        for (var i = 0; i < m.Count; i++)
        {
            var k = key(i);
            rows.Add(k < 0 ? "-" : first.TryAdd(k, i) ? $"{i}" : $"{first[k]}");
        }
        return rows;
    }

    private static void AssertSame(byte[] data, int chunks)
    {
        var expected = ToolkitMessages.Read(new MemoryStream(data));
        var actual = ToolkitChunkedReader.Read(data, data.Length, chunks);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.UserCount, actual.UserCount);
        Assert.Equal(expected.Rejected, actual.Rejected);
        Assert.Equal(expected.Duplicates, actual.Duplicates);
        Assert.Equal(expected.Errors, actual.Errors);
        Assert.Equal(Rows(expected), Rows(actual));
        Assert.Equal(Partition(expected, i => expected.Repost[i]), Partition(actual, i => actual.Repost[i]));
        Assert.Equal(Partition(expected, i => expected.Text[i]), Partition(actual, i => actual.Text[i]));
        foreach (var kind in ToolkitNetworkKinds.All)
        {
            var options = new ToolkitNetworkOptions { MinWeight = 1 };
            Assert.Equal(ToolkitNetworks.Compute(expected, kind, options), ToolkitNetworks.Compute(actual, kind, options));
        }
    }

    private static byte[] Csv(params string[] rows) => Encoding.UTF8.GetBytes(Header + string.Concat(rows));

    [Fact]
    public void Quoted_line_breaks_across_every_chunk_boundary_read_as_sequentially()
    {
        // Messages full of quoted line breaks and doubled quotes: with 1 to 40 chunks the guessed
        // boundaries fall inside them again and again.
        var rows = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var text = i % 3 == 0 ? "\"line one\nline \"\"two\"\"\n\nthree, four\"" : i % 3 == 1 ? "\"\n\n\n\"" : "plain";
            rows.Add($"{i},u{i % 7},\"name\n{i}\",{(i % 4 == 0 ? "p" + (i % 5) : "")},,{text},{1000 + i},\"http://x/{i % 6}\nhttp://y\"\n");
        }
        var data = Csv([.. rows]);
        for (var chunks = 1; chunks <= 40; chunks++)
        {
            AssertSame(data, chunks);
        }
    }

    [Fact]
    public void A_stray_quote_that_misleads_the_quote_count_still_reads_as_sequentially()
    {
        // A quote inside an unquoted field is kept as text, so counting quotes gets the parity wrong.
        var rows = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            rows.Add($"{i},u{i % 5},n,{(i % 2 == 0 ? "p" : "")},,{(i % 5 == 0 ? "say \"hi" : "\"x\ny\"")},{i},\n");
        }
        var data = Csv([.. rows]);
        for (var chunks = 1; chunks <= 30; chunks++)
        {
            AssertSame(data, chunks);
        }
    }

    [Fact]
    public void Rejections_duplicates_and_an_unclosed_quote_are_reported_as_sequentially()
    {
        var data = Csv(
            "1,a,n,p,,,10,\n",
            "2,b,n,p,,,11,\n",
            "1,c,n,p,,,12,\n",
            "3,d,n,p,,,yesterday,\n",
            "4,e,n,p\n",
            "2,f,n,q,,,13,\n",
            "\n",
            "5,a,n,,,Hello @x World,14,http://a http://a\n",
            "6,b,n,,,hello world,15,http://a\n",
            "9,h,n,,,Héllo  @bob WÖRLD\u00a0,15,\n",
            "10,i,n,,,héllo wörld,16,\n",
            "11,i,n,,,\u00a0 hello\u2003world,16,\n",
            "7,g,n,,,\"never closed,16,\n8,h,n,,,,17,\n");
        for (var chunks = 1; chunks <= 12; chunks++)
        {
            AssertSame(data, chunks);
        }
    }

    [Fact]
    public void The_fixture_reads_in_many_chunks_as_sequentially()
    {
        var input = Path.Combine(ToolkitNetworksTests.Fixture, "input-100k.csv.gz");
        if (!File.Exists(input))
        {
            return; // The fixture folder is absent on this machine: nothing to compare with.
        }
        using var gz = new GZipStream(File.OpenRead(input), CompressionMode.Decompress);
        var text = new MemoryStream();
        gz.CopyTo(text);
        AssertSame(text.ToArray(), 37);
    }

    [Fact]
    public void Keys_with_the_same_bytes_meet_and_others_never_do()
    {
        var table = new Utf8KeyTable(2);
        var ids = new List<int>();
        for (var i = 0; i < 5_000; i++)
        {
            ids.Add(table.Intern(Encoding.UTF8.GetBytes($"key{i}")));
        }
        Assert.Equal(Enumerable.Range(0, 5_000), ids);
        Assert.Equal(1234, table.Intern("key1234"u8));
        // A forced collision: a different key given the same hash takes its own number.
        var hash = Utf8KeyTable.Hash("key7"u8);
        Assert.Equal(7, table.Intern("key7"u8, hash, out var added));
        Assert.False(added);
        Assert.Equal("key7", Encoding.UTF8.GetString(table.Key(7)));
    }
}
