using System.Globalization;
using System.Xml;

namespace Cib.Detection.Export;

/// <summary>
/// Writes a <see cref="NetworkGraph"/> as GEXF 1.3 (Gephi's own format): an undirected static graph,
/// node attributes <c>network</c> and <c>score</c>, edge weight as GEXF's <c>weight</c> and edge
/// attributes <c>support</c> and <c>kind</c>.
/// </summary>
public static class GexfWriter
{
    /// <summary>The GEXF 1.3 namespace.</summary>
    public const string Namespace = "http://gexf.net/1.3";

    /// <summary>Writes the graph to <paramref name="output"/> as UTF-8; the stream is left open.</summary>
    public static void Write(Stream output, NetworkGraph graph)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(graph);
        var inv = CultureInfo.InvariantCulture;
        using var xml = XmlWriter.Create(output, NetworkGraph.XmlSettings);
        xml.WriteStartDocument();
        xml.WriteStartElement("gexf", Namespace);
        xml.WriteAttributeString("version", "1.3");
        xml.WriteStartElement("meta", Namespace);
        xml.WriteElementString("creator", Namespace, "Cib");
        xml.WriteElementString("description", Namespace, "Coordinated networks: accounts and the co-activity edges that joined them");
        xml.WriteEndElement();
        xml.WriteStartElement("graph", Namespace);
        xml.WriteAttributeString("defaultedgetype", "undirected");
        xml.WriteAttributeString("mode", "static");
        WriteAttributes(xml, "node", ("network", "string"), ("score", "double"));
        WriteAttributes(xml, "edge", ("support", "integer"), ("kind", "string"));
        xml.WriteStartElement("nodes", Namespace);
        foreach (var n in graph.Nodes)
        {
            xml.WriteStartElement("node", Namespace);
            xml.WriteAttributeString("id", NetworkGraph.XmlSafe(n.Id));
            xml.WriteAttributeString("label", NetworkGraph.XmlSafe(n.Id));
            WriteValues(xml, ("network", NetworkGraph.XmlSafe(n.NetworkId)), ("score", n.Score.ToString("R", inv)));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteStartElement("edges", Namespace);
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var e = graph.Edges[i];
            xml.WriteStartElement("edge", Namespace);
            xml.WriteAttributeString("id", i.ToString(inv));
            xml.WriteAttributeString("source", NetworkGraph.XmlSafe(e.Source));
            xml.WriteAttributeString("target", NetworkGraph.XmlSafe(e.Target));
            xml.WriteAttributeString("weight", e.Weight.ToString("R", inv));
            WriteValues(xml, ("support", e.Support.ToString(inv)), ("kind", e.Kind));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteAttributes(XmlWriter xml, string forClass, params ReadOnlySpan<(string Title, string Type)> attributes)
    {
        xml.WriteStartElement("attributes", Namespace);
        xml.WriteAttributeString("class", forClass);
        for (var i = 0; i < attributes.Length; i++)
        {
            xml.WriteStartElement("attribute", Namespace);
            xml.WriteAttributeString("id", attributes[i].Title);
            xml.WriteAttributeString("title", attributes[i].Title);
            xml.WriteAttributeString("type", attributes[i].Type);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>Attribute values, each naming the attribute id it is for.</summary>
    private static void WriteValues(XmlWriter xml, params ReadOnlySpan<(string For, string Value)> values)
    {
        xml.WriteStartElement("attvalues", Namespace);
        foreach (var (id, value) in values)
        {
            xml.WriteStartElement("attvalue", Namespace);
            xml.WriteAttributeString("for", id);
            xml.WriteAttributeString("value", value);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }
}
