namespace Cib.Detection.Export;

/// <summary>RFC 4180 output: fields holding a comma, a double quote, CR or LF are enclosed in double
/// quotes with each inner quote doubled; every other field is written as it is.</summary>
internal static class CsvField
{
    /// <summary>RFC 4180's record separator.</summary>
    public const string RecordEnd = "\r\n";

    /// <summary>Writes <paramref name="value"/> as one field.</summary>
    public static void Write(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Writes a whole record: fields separated by commas, then <see cref="RecordEnd"/>.</summary>
    public static void WriteRecord(TextWriter writer, params ReadOnlySpan<string?> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }
            Write(writer, fields[i]);
        }
        writer.Write(RecordEnd);
    }
}
