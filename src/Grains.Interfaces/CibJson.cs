using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cib.Grains.Interfaces;

/// <summary>The JSON conventions of the HTTP API: camelCase names, enums as kebab-case strings.</summary>
public static class CibJson
{
    /// <summary>Options shared by the silo's API and the client.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>Applies the conventions to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    private static JsonSerializerOptions Create() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}

/// <summary>One rejected record of an ingest request.</summary>
/// <param name="Position">1-based line (NDJSON) or record number.</param>
/// <param name="Id">The record's id, when it could be read.</param>
/// <param name="Field">The field at fault.</param>
/// <param name="Message">What was wrong and what was received.</param>
public sealed record IngestRejection(long Position, string? Id, string Field, string Message);

/// <summary>
/// The answer to an ingest request. Everything counted in <paramref name="Accepted"/> and
/// <paramref name="Duplicates"/> is durable when this is returned.
/// </summary>
/// <param name="Received">Records read.</param>
/// <param name="Accepted">Records stored now.</param>
/// <param name="Duplicates">Records whose id was already stored: no change.</param>
/// <param name="Rejected">Invalid records: not stored.</param>
/// <param name="Rejections">The first rejections, with position, field and reason.</param>
/// <param name="LogHead">The log's sequence number after this request.</param>
public sealed record IngestResult(int Received, int Accepted, int Duplicates, int Rejected, IReadOnlyList<IngestRejection> Rejections, long LogHead);

/// <summary>The silo's progress.</summary>
/// <param name="LogHead">Signals acknowledged (sequence number of the newest).</param>
/// <param name="Processed">Signals applied to the co-activity graph.</param>
/// <param name="LastSweep">The latest sweep, if any.</param>
public sealed record SiloStatus(long LogHead, long Processed, SweepReport? LastSweep);
