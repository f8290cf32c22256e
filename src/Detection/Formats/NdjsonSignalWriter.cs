using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>
/// Writes signals as NDJSON in the schema <see cref="NdjsonSignalReader"/> reads: one object per
/// line, timestamps as ISO 8601 UTC strings, absent optional fields left out.
/// </summary>
public static class NdjsonSignalWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Files are read by tools and people, not embedded in HTML: escaping '<' or 'é' would only
        // make them harder to read. JSON's own escapes (quotes, control characters) still apply.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Writes <paramref name="signal"/> as one line, ending in '\n'.</summary>
    public static void Write(TextWriter writer, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(ToLine(signal));
        writer.Write('\n');
    }

    /// <summary>Writes <paramref name="signal"/> as one UTF-8 line, ending in '\n'.</summary>
    public static void Write(IBufferWriter<byte> output, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(signal);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            WriteObject(json, signal);
        }
        output.Write("\n"u8);
    }

    /// <summary>An NDJSON document of <paramref name="signals"/>, one line each: an ingest request's body.</summary>
    public static string ToDocument(IEnumerable<Signal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        using var w = new StringWriter();
        foreach (var s in signals)
        {
            Write(w, s);
        }
        return w.ToString();
    }

    /// <summary>The JSON object for <paramref name="signal"/>, without a line break.</summary>
    public static string ToLine(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteObject(json, signal);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteObject(Utf8JsonWriter json, Signal signal)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, signal.Id);
        json.WriteString("account"u8, signal.Account);
        json.WriteString("kind"u8, signal.Kind.ToWire());
        json.WriteString("target"u8, signal.Target);
        json.WriteString("timestamp"u8, Timestamps.FormatIso(signal.Timestamp));
        if (signal.Text is not null)
        {
            json.WriteString("text"u8, signal.Text);
        }
        if (signal.Fingerprint is not null)
        {
            json.WriteString("fingerprint"u8, signal.Fingerprint);
        }
        if (signal.Profile is { } profile)
        {
            if (profile.CreatedAt is { } created)
            {
                json.WriteString("account_created_at"u8, Timestamps.FormatIso(created));
            }
            if (profile.Handle is not null)
            {
                json.WriteString("handle"u8, profile.Handle);
            }
            if (profile.DisplayName is not null)
            {
                json.WriteString("display_name"u8, profile.DisplayName);
            }
            if (profile.Followers is { } followers)
            {
                json.WriteNumber("account_followers"u8, followers);
            }
            if (profile.Following is { } following)
            {
                json.WriteNumber("account_following"u8, following);
            }
            if (profile.Posts is { } posts)
            {
                json.WriteNumber("account_posts"u8, posts);
            }
        }
        json.WriteEndObject();
    }
}
