namespace Cib.Detection.Formats;

/// <summary>Matches a CSV header against a format's column names.</summary>
internal static class CsvHeader
{
    /// <summary>
    /// Maps each expected column to its index in <paramref name="header"/>. Columns may come in any
    /// order and names compare case-insensitively after trimming (a leading byte order mark is
    /// ignored), but every expected column must be present and no other may be: an extra column is
    /// most often a misspelt expected one. Returns null and the problem when the header does not fit.
    /// </summary>
    public static int[]? TryMap(IReadOnlyList<string> header, IReadOnlyList<string> expected, out string? problem)
    {
        var indexes = new int[expected.Count];
        Array.Fill(indexes, -1);
        var unknown = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = Normalise(header[i]);
            var match = -1;
            for (var j = 0; j < expected.Count; j++)
            {
                if (string.Equals(name, expected[j], StringComparison.OrdinalIgnoreCase))
                {
                    match = j;
                    break;
                }
            }
            if (match < 0)
            {
                unknown.Add(name);
            }
            else if (indexes[match] >= 0)
            {
                problem = $"names column \"{expected[match]}\" twice";
                return null;
            }
            else
            {
                indexes[match] = i;
            }
        }
        var missing = new List<string>();
        for (var j = 0; j < expected.Count; j++)
        {
            if (indexes[j] < 0)
            {
                missing.Add(expected[j]);
            }
        }
        if (missing.Count > 0 || unknown.Count > 0)
        {
            var parts = new List<string>(2);
            if (missing.Count > 0)
            {
                parts.Add($"lacks {string.Join(", ", missing.Select(m => $"\"{m}\""))}");
            }
            if (unknown.Count > 0)
            {
                parts.Add($"has unknown {string.Join(", ", unknown.Select(u => SignalFieldRules.Quote(u)))}");
            }
            problem = $"{string.Join(" and ", parts)}; expected the columns {string.Join(",", expected)}";
            return null;
        }
        problem = null;
        return indexes;
    }

    /// <summary>True when <paramref name="header"/> names exactly the <paramref name="expected"/> columns.</summary>
    public static bool Matches(IReadOnlyList<string> header, IReadOnlyList<string> expected) =>
        TryMap(header, expected, out _) is not null;

    /// <summary>
    /// The error for a record <paramref name="csv"/> found malformed: named by the column at fault
    /// when one field was, and by the record's id when its id column could be read.
    /// </summary>
    public static SignalReadResult Malformed(CsvReader csv, int[] map, IReadOnlyList<string> columns, int idColumn, long position)
    {
        var field = SignalError.WholeRecord;
        if (csv.ErrorField is { } index && Array.IndexOf(map, index) is var column and >= 0)
        {
            field = columns[column];
        }
        var id = map[idColumn] < csv.Fields.Count && csv.ErrorField != map[idColumn] ? csv.Fields[map[idColumn]] : null;
        if (id is not null && SignalFieldRules.CheckIdentifier(id) is not null)
        {
            id = null;
        }
        return SignalReadResult.Fail(position, id, field, csv.Error!);
    }

    private static string Normalise(string name) => name.Trim().TrimStart('\uFEFF').Trim();
}
