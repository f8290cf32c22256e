using System.Xml.Linq;
using Cib.Detection.Batch;
using Cib.Detection.CoActivity;
using Cib.Detection.Export;
using Cib.Detection.Formats;
using Cib.Detection.Networks;

namespace Cib.Detection.Tests.Export;

public class ExportWritersTests
{
    private static readonly NetworkGraph Graph = new(
        [new GraphNode("alice", "net-1", 0.93), new GraphNode("bob & <co>", "net-1", 0.93), new GraphNode("carol\u0001", "net-2", 0.5)],
        [new GraphEdge("alice", "bob & <co>", 2.5, 6, "co-repost"), new GraphEdge("bob & <co>", "carol\u0001", 1, 4, "co-link")]);

    private static XDocument Render(Action<Stream, NetworkGraph> write)
    {
        using var stream = new MemoryStream();
        write(stream, Graph);
        stream.Position = 0;
        return XDocument.Load(stream);
    }

    [Fact]
    public void Gexf_parses_with_every_node_edge_and_attribute()
    {
        var doc = Render(GexfWriter.Write);
        XNamespace ns = GexfWriter.Namespace;
        var nodes = doc.Descendants(ns + "node").ToList();
        var edges = doc.Descendants(ns + "edge").ToList();
        Assert.Equal(3, nodes.Count);
        Assert.Equal(2, edges.Count);
        Assert.Equal("bob & <co>", nodes[1].Attribute("id")!.Value);
        Assert.Equal("carol\uFFFD", nodes[2].Attribute("id")!.Value);
        string Value(XElement e, string id) => e.Descendants(ns + "attvalue").Single(a => a.Attribute("for")!.Value == id).Attribute("value")!.Value;
        Assert.Equal("net-1", Value(nodes[0], "network"));
        Assert.Equal(0.93, double.Parse(Value(nodes[0], "score"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2.5", edges[0].Attribute("weight")!.Value);
        Assert.Equal("6", Value(edges[0], "support"));
        Assert.Equal("co-link", Value(edges[1], "kind"));
        // Every attvalue refers to a declared attribute of its class.
        var declared = doc.Descendants(ns + "attribute").Select(a => a.Attribute("id")!.Value).ToHashSet();
        Assert.All(doc.Descendants(ns + "attvalue"), v => Assert.Contains(v.Attribute("for")!.Value, declared));
    }

    [Fact]
    public void GraphML_parses_with_every_node_edge_and_key()
    {
        var doc = Render(GraphMLWriter.Write);
        XNamespace ns = GraphMLWriter.Namespace;
        var nodes = doc.Descendants(ns + "node").ToList();
        var edges = doc.Descendants(ns + "edge").ToList();
        Assert.Equal(3, nodes.Count);
        Assert.Equal(2, edges.Count);
        string Data(XElement e, string key) => e.Elements(ns + "data").Single(d => d.Attribute("key")!.Value == key).Value;
        Assert.Equal("net-2", Data(nodes[2], "network"));
        Assert.Equal("bob & <co>", edges[0].Attribute("target")!.Value);
        Assert.Equal("6", Data(edges[0], "support"));
        Assert.Equal("co-repost", Data(edges[0], "kind"));
        Assert.Equal("1", Data(edges[1], "weight"));
        var keys = doc.Root!.Elements(ns + "key").Select(k => k.Attribute("id")!.Value).ToHashSet();
        Assert.All(doc.Descendants(ns + "data"), d => Assert.Contains(d.Attribute("key")!.Value, keys));
        // Both ends of every edge are nodes of the graph.
        var ids = nodes.Select(n => n.Attribute("id")!.Value).ToHashSet();
        Assert.All(edges, e => Assert.Contains(e.Attribute("source")!.Value, ids));
        Assert.All(edges, e => Assert.Contains(e.Attribute("target")!.Value, ids));
    }

    [Fact]
    public void Edges_csv_quotes_fields_as_rfc_4180_requires_and_reads_back()
    {
        var t = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var byKind = new int[CoActivityKinds.Count];
        byKind[(int)CoActivityKind.CoRepost] = 3;
        byKind[(int)CoActivityKind.CoLink] = 5;
        var edge = new EdgeSummary("a,1", "b \"q\"\nline", 8, 3.25, byKind, 4.5, t, t.AddMinutes(5),
            [new EvidenceSample(CoActivityKind.CoLink, "http://x/?a=1,2", t, t.AddSeconds(3))]) { ActionsA = 8, ActionsB = 10 };
        var accounts = new Dictionary<string, AccountFeatures>
        {
            ["a,1"] = new("a,1", t, t, 10, 10, new long[8], 0, null, null, null),
            ["b \"q\"\nline"] = new("b \"q\"\nline", t, t, 14, 14, new long[8], 0, null, null, null),
        };
        var text = new StringWriter();
        EdgesCsvWriter.Write(text, [edge], accounts);
        Assert.StartsWith("a,b,support,weight,jaccard,symmetry,mean_gap_s,kinds,evidence\r\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"b \"\"q\"\"\nline\"", text.ToString(), StringComparison.Ordinal);
        var csv = new CsvReader(new StringReader(text.ToString()));
        Assert.Equal(CsvReadStatus.Record, csv.Read());
        Assert.Equal(CsvReadStatus.Record, csv.Read());
        Assert.Equal(["a,1", "b \"q\"\nline", "8", "3.25", "0.5", "0.8", "4.5", "co-link:5 co-repost:3",
            "co-link http://x/?a=1,2 2024-05-01T12:00:00Z 2024-05-01T12:00:03Z"], csv.Fields);
        Assert.Equal(CsvReadStatus.End, csv.Read());
    }

    [Fact]
    public void Accounts_csv_leaves_unknown_values_empty()
    {
        var a = new AccountFeatures("u,1", null, null, 3, 2, new long[8], 0.25, new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero), "h", null);
        var b = new AccountFeatures("u2", null, null, 1, 0, new long[8], 0, null, null, null);
        var text = new StringWriter();
        AccountsCsvWriter.Write(text, [b, a], new Dictionary<string, string> { ["u,1"] = "net-9" });
        Assert.Equal("account,network,actions,coactivity_actions,burstiness,created_at,handle\r\n" +
            "\"u,1\",net-9,3,2,0.25,2020-01-02T00:00:00Z,h\r\nu2,,1,0,0,,\r\n", text.ToString());
    }

    [Fact]
    public void Toolkit_edges_are_written_in_the_toolkits_format()
    {
        var text = new StringWriter();
        ToolkitEdgeCsvWriter.Write(text, [new ToolkitEdge("a", "a", 2), new ToolkitEdge("x,y", "b", 1)]);
        Assert.Equal("user_1,user_2,weight\na,a,2\n\"x,y\",b,1\n", text.ToString());
    }

    [Fact]
    public void Xml_safe_replaces_only_characters_xml_cannot_hold()
    {
        Assert.Equal("ok \U0001F600", NetworkGraph.XmlSafe("ok \U0001F600"));
        Assert.Equal("a\uFFFDb", NetworkGraph.XmlSafe("a\u0000b"));
    }
}
