using System.IO.Compression;
using System.Text;
using Cib.Detection.Formats;

namespace Cib.Detection.Evaluation;

/// <summary>
/// Reads a CSV file, gzip-compressed when its name ends in <c>.gz</c>, whose header names the
/// columns, record by record; the caller looks fields up by column name.
/// </summary>
internal sealed class GzipCsv : IDisposable
{
    private readonly Stream _stream;
    private readonly CsvReader _reader;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _path;

    private GzipCsv(string path, IReadOnlyList<string> required)
    {
        _path = path;
        Stream file = File.OpenRead(path);
        _stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        _reader = new CsvReader(new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
        if (_reader.Read() != CsvReadStatus.Record)
        {
            throw new InvalidDataException($"\"{path}\" has no header row");
        }
        for (var i = 0; i < _reader.Fields.Count; i++)
        {
            _columns.TryAdd(_reader.Fields[i].Trim(), i);
        }
        var missing = required.Where(c => !_columns.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"\"{path}\" lacks the column(s) {string.Join(", ", missing)}; its header is {string.Join(",", _columns.Keys)}");
        }
    }

    /// <summary>Opens <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming any missing column.</summary>
    public static GzipCsv Open(string path, params string[] required)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"\"{path}\" does not exist", path);
        }
        return new GzipCsv(path, required);
    }

    /// <summary>Records skipped because they were malformed.</summary>
    public int Malformed { get; private set; }

    /// <summary>The column index of <paramref name="name"/>.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out var i) ? i : throw new InvalidDataException($"\"{_path}\" has no column {name}");

    /// <summary>Moves to the next well-formed record; false at the end.</summary>
    public bool Next()
    {
        while (true)
        {
            switch (_reader.Read())
            {
                case CsvReadStatus.Record:
                    return true;
                case CsvReadStatus.End:
                    return false;
                default:
                    Malformed++;
                    break;
            }
        }
    }

    /// <summary>Field <paramref name="column"/> of the current record, empty when the record is short.</summary>
    public string this[int column] => column < _reader.Fields.Count ? _reader.Fields[column] : "";

    public void Dispose() => _stream.Dispose();
}
