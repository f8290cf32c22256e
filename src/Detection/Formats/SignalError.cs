namespace Cib.Detection.Formats;

/// <summary>
/// Why one input record could not become a signal, phrased so the sender can fix it:
/// <c>record 17 (id "s9"): "timestamp" is not ISO 8601 or Unix milliseconds (got "yesterday")</c>.
/// </summary>
/// <param name="Position">Where the record is: the 1-based line number for NDJSON, the 1-based data
/// record number (header excluded) for CSV; 0 for the file as a whole (its header or format).</param>
/// <param name="RecordId">The record's id when it could be read, so the sender can find it.</param>
/// <param name="Field">The offending field, or <see cref="WholeRecord"/> when the record as a whole is
/// malformed (invalid JSON, wrong column count).</param>
/// <param name="Message">What was wrong and, where it helps, what was received.</param>
public sealed record SignalError(long Position, string? RecordId, string Field, string Message)
{
    /// <summary>The <see cref="Field"/> of an error about the whole record rather than one field.</summary>
    public const string WholeRecord = "";

    /// <inheritdoc />
    public override string ToString()
    {
        var where = Position == 0 ? "header" : $"record {Position}";
        var id = RecordId is null ? "" : $" (id \"{RecordId}\")";
        var field = Field.Length == 0 ? "" : $"\"{Field}\" ";
        return $"{where}{id}: {field}{Message}";
    }
}
