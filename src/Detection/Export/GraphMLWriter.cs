using System.Globalization;
using System.Xml;

namespace Cib.Detection.Export;

/// <summary>
/// Writes a <see cref="NetworkGraph"/> as GraphML (read by Gephi, networkx, igraph, yEd): an
/// undirected graph with node keys <c>network</c> and <c>score</c> and edge keys <c>weight</c>,
/// <c>support</c> and <c>kind</c>.
/// </summary>
public static class GraphMLWriter
{
    /// <summary>The GraphML namespace.</summary>
    public const string Namespace = "http://graphml.graphdrawing.org/xmlns";

    /// <summary>Writes the graph to <paramref name="output"/> as UTF-8; the stream is left open.</summary>
    public static void Write(Stream output, NetworkGraph graph)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(graph);
        var inv = CultureInfo.InvariantCulture;
        using var xml = XmlWriter.Create(output, NetworkGraph.XmlSettings);
        xml.WriteStartDocument();
        xml.WriteStartElement("graphml", Namespace);
        WriteKey(xml, "network", "node", "string");
        WriteKey(xml, "score", "node", "double");
        WriteKey(xml, "weight", "edge", "double");
        WriteKey(xml, "support", "edge", "int");
        WriteKey(xml, "kind", "edge", "string");
        xml.WriteStartElement("graph", Namespace);
        xml.WriteAttributeString("id", "cib");
        xml.WriteAttributeString("edgedefault", "undirected");
        foreach (var n in graph.Nodes)
        {
            xml.WriteStartElement("node", Namespace);
            xml.WriteAttributeString("id", NetworkGraph.XmlSafe(n.Id));
            WriteData(xml, "network", NetworkGraph.XmlSafe(n.NetworkId));
            WriteData(xml, "score", n.Score.ToString("R", inv));
            xml.WriteEndElement();
        }
        foreach (var e in graph.Edges)
        {
            xml.WriteStartElement("edge", Namespace);
            xml.WriteAttributeString("source", NetworkGraph.XmlSafe(e.Source));
            xml.WriteAttributeString("target", NetworkGraph.XmlSafe(e.Target));
            WriteData(xml, "weight", e.Weight.ToString("R", inv));
            WriteData(xml, "support", e.Support.ToString(inv));
            WriteData(xml, "kind", e.Kind);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteKey(XmlWriter xml, string id, string forElement, string type)
    {
        xml.WriteStartElement("key", Namespace);
        xml.WriteAttributeString("id", id);
        xml.WriteAttributeString("for", forElement);
        xml.WriteAttributeString("attr.name", id);
        xml.WriteAttributeString("attr.type", type);
        xml.WriteEndElement();
    }

    private static void WriteData(XmlWriter xml, string key, string value)
    {
        xml.WriteStartElement("data", Namespace);
        xml.WriteAttributeString("key", key);
        xml.WriteString(value);
        xml.WriteEndElement();
    }
}
