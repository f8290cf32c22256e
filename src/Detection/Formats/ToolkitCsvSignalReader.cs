using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>
/// Reads the coordination network toolkit's generic CSV (QUT Digital Observatory): header
/// <c>message_id,user_id,username,repost_id,reply_id,message,timestamp,urls</c>, RFC 4180 quoting,
/// <c>timestamp</c> in Unix seconds (fractions allowed) or ISO 8601 with an offset, <c>urls</c>
/// separated by spaces.
/// </summary>
/// <remarks>
/// Each row becomes a <see cref="SignalKind.Repost"/> of <c>repost_id</c> when that is non-empty,
/// else a <see cref="SignalKind.Reply"/> to <c>reply_id</c> when that is non-empty, else a
/// <see cref="SignalKind.Post"/> whose target is its own <c>message_id</c>. Id = message_id,
/// account = user_id, text = message, profile handle = username. A row that is not a repost also
/// yields one <see cref="SignalKind.Link"/> per URL, id <c>{message_id}#link{i}</c> (i from 1);
/// this mirrors the toolkit, whose co_link ignores reposts. Empty URL tokens yield nothing: the
/// toolkit joins messages on an empty URL (its issue #46), and Cib must never link accounts through
/// a URL that is not there. Unlike NDJSON, timestamps are not limited to 2000-2100: research data
/// and the toolkit's own fixtures use small synthetic times.
/// </remarks>
public static class ToolkitCsvSignalReader
{
    /// <summary>The columns, in the toolkit's order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls"];

    private const int MessageId = 0, UserId = 1, Username = 2, RepostId = 3, ReplyId = 4, Message = 5, Time = 6, Urls = 7;

    /// <summary>Reads every data record; an unusable header yields one error at position 0.</summary>
    public static IEnumerable<SignalReadResult> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadCore(new CsvReader(reader));
    }

    private static IEnumerable<SignalReadResult> ReadCore(CsvReader csv)
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
                $"is not the toolkit's CSV header: {problem ?? csv.Error}");
            yield break;
        }
        csv.ExpectedFieldCount = csv.Fields.Count;
        var results = new List<SignalReadResult>(4);
        while ((status = csv.Read()) != CsvReadStatus.End)
        {
            var position = csv.RecordNumber - 1;
            if (status == CsvReadStatus.Malformed)
            {
                yield return CsvHeader.Malformed(csv, map, Columns, MessageId, position);
                continue;
            }
            results.Clear();
            Convert(csv.Fields, map, position, results);
            foreach (var result in results)
            {
                yield return result;
            }
        }
    }

    private static void Convert(IReadOnlyList<string> row, int[] map, long position, List<SignalReadResult> results)
    {
        string Field(int column) => row[map[column]];

        var id = Field(MessageId);
        if (SignalFieldRules.CheckIdentifier(id) is { } idProblem)
        {
            results.Add(SignalReadResult.Fail(position, null, Columns[MessageId], idProblem));
            return;
        }
        var account = Field(UserId);
        if (SignalFieldRules.CheckIdentifier(account) is { } accountProblem)
        {
            results.Add(SignalReadResult.Fail(position, id, Columns[UserId], accountProblem));
            return;
        }
        if (!Timestamps.TryParseSecondsOrIso(Field(Time), out var timestamp))
        {
            results.Add(SignalReadResult.Fail(position, id, Columns[Time],
                $"is not Unix seconds or ISO 8601 with an offset (got {SignalFieldRules.Quote(Field(Time))})"));
            return;
        }
        var message = Field(Message);
        if (SignalFieldRules.CheckText(message) is { } textProblem)
        {
            results.Add(SignalReadResult.Fail(position, id, Columns[Message], textProblem));
            return;
        }
        var text = message.Length == 0 ? null : message;
        var handle = Field(Username);
        if (SignalFieldRules.CheckLabel(handle) is { } handleProblem)
        {
            results.Add(SignalReadResult.Fail(position, id, Columns[Username], handleProblem));
            return;
        }
        var profile = handle.Length == 0 ? null : new AccountProfile(null, handle, null);

        foreach (var column in (ReadOnlySpan<int>)[RepostId, ReplyId])
        {
            if (Field(column) is { Length: > 0 } target && SignalFieldRules.CheckIdentifier(target, SignalFieldRules.MaxTargetLength) is { } targetProblem)
            {
                results.Add(SignalReadResult.Fail(position, id, Columns[column], targetProblem));
                return;
            }
        }
        var repostOf = Field(RepostId);
        if (repostOf.Length > 0)
        {
            results.Add(SignalReadResult.Ok(new Signal(id, account, SignalKind.Repost, repostOf, timestamp, text, Profile: profile)));
            return;
        }
        var replyTo = Field(ReplyId);
        results.Add(SignalReadResult.Ok(replyTo.Length > 0
            ? new Signal(id, account, SignalKind.Reply, replyTo, timestamp, text, Profile: profile)
            : new Signal(id, account, SignalKind.Post, id, timestamp, text, Profile: profile)));

        var urls = Field(Urls);
        foreach (var range in urls.AsSpan().SplitAny(" \t\r\n"))
        {
            if (range.End.Value > range.Start.Value
                && SignalFieldRules.CheckIdentifier(urls[range], SignalFieldRules.MaxTargetLength) is { } urlProblem)
            {
                // A row is all or nothing: its post goes with the bad URL.
                results.Clear();
                results.Add(SignalReadResult.Fail(position, id, Columns[Urls], urlProblem));
                return;
            }
        }
        var linkNumber = 0;
        foreach (var range in urls.AsSpan().SplitAny(" \t\r\n"))
        {
            var url = urls[range];
            if (url.Length == 0)
            {
                continue;
            }
            linkNumber++;
            results.Add(SignalReadResult.Ok(new Signal($"{id}#link{linkNumber}", account, SignalKind.Link, url, timestamp, Profile: profile)));
        }
    }
}
