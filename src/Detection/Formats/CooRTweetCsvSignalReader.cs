using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>
/// Reads CooRTweet's CSV: header <c>object_id,account_id,content_id,timestamp</c>, <c>timestamp</c>
/// in Unix seconds or ISO 8601 with an offset. CooRTweet's rows say only that an account produced
/// a piece of content about a shared object, not how, so the caller names the kind: each row becomes
/// Signal(Id = content_id, Account = account_id, Kind = the caller's kind, Target = object_id).
/// As in the toolkit's CSV, timestamps are not limited to 2000-2100.
/// </summary>
public static class CooRTweetCsvSignalReader
{
    /// <summary>The columns, in CooRTweet's order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["object_id", "account_id", "content_id", "timestamp"];

    private const int ObjectId = 0, AccountId = 1, ContentId = 2, Time = 3;

    /// <summary>Reads every data record as a signal of <paramref name="kind"/>; an unusable header
    /// yields one error at position 0.</summary>
    public static IEnumerable<SignalReadResult> Read(TextReader reader, SignalKind kind = SignalKind.Repost)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadCore(new CsvReader(reader), kind);
    }

    private static IEnumerable<SignalReadResult> ReadCore(CsvReader csv, SignalKind kind)
    {
        var status = csv.Read();
        if (status == CsvReadStatus.End)
        {
            yield break;
        }
        string? problem = null;
        var map = status == CsvReadStatus.Malformed ? null : CsvHeader.TryMap(csv.Fields, Columns, out problem);
        if (map is null)
        {
            yield return SignalReadResult.Fail(0, null, SignalError.WholeRecord,
                $"is not CooRTweet's CSV header: {problem ?? csv.Error}");
            yield break;
        }
        csv.ExpectedFieldCount = csv.Fields.Count;
        while ((status = csv.Read()) != CsvReadStatus.End)
        {
            var position = csv.RecordNumber - 1;
            yield return status == CsvReadStatus.Malformed
                ? CsvHeader.Malformed(csv, map, Columns, ContentId, position)
                : Convert(csv.Fields, map, position, kind);
        }
    }

    private static SignalReadResult Convert(IReadOnlyList<string> row, int[] map, long position, SignalKind kind)
    {
        var id = row[map[ContentId]];
        if (SignalFieldRules.CheckIdentifier(id) is { } idProblem)
        {
            return SignalReadResult.Fail(position, null, Columns[ContentId], idProblem);
        }
        var account = row[map[AccountId]];
        if (SignalFieldRules.CheckIdentifier(account) is { } accountProblem)
        {
            return SignalReadResult.Fail(position, id, Columns[AccountId], accountProblem);
        }
        var target = row[map[ObjectId]];
        if (SignalFieldRules.CheckIdentifier(target, SignalFieldRules.MaxTargetLength) is { } targetProblem)
        {
            return SignalReadResult.Fail(position, id, Columns[ObjectId], targetProblem);
        }
        var time = row[map[Time]];
        if (!Timestamps.TryParseSecondsOrIso(time, out var timestamp))
        {
            return SignalReadResult.Fail(position, id, Columns[Time],
                $"is not Unix seconds or ISO 8601 with an offset (got {SignalFieldRules.Quote(time)})");
        }
        return SignalReadResult.Ok(new Signal(id, account, kind, target, timestamp));
    }
}
