using System.Text;
using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>Opens a signal file in any supported format, gzip-compressed or not.</summary>
public static class SignalFileReader
{
    /// <summary>
    /// Reads the signals in <paramref name="path"/>. Gzip is recognised by its magic bytes, whatever
    /// the name. <see cref="SignalFileFormat.Auto"/> picks NDJSON for <c>.ndjson</c> and <c>.jsonl</c>
    /// (before any <c>.gz</c>) or a first line starting with '{', and otherwise recognises the CSV
    /// formats by their header; an unrecognised header yields one error, at position 0, listing the
    /// accepted ones. The file is opened when enumeration starts and closed when it ends.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format, or <see cref="SignalFileFormat.Auto"/>.</param>
    /// <param name="cooRTweetKind">The kind given to CooRTweet rows, which do not carry one.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IEnumerable<SignalReadResult> Open(string path, SignalFileFormat format = SignalFileFormat.Auto,
        SignalKind cooRTweetKind = SignalKind.Repost)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            // Thrown here rather than on first enumeration, so a wrong path fails where it is given.
            throw new FileNotFoundException($"Signal file \"{path}\" does not exist.", path);
        }
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown signal file format.");
        }
        return ReadCore(path, format, cooRTweetKind);
    }

    /// <summary>The format of <paramref name="path"/> as <see cref="SignalFileFormat.Auto"/> decides
    /// it, or null with the reason when it cannot.</summary>
    public static SignalFileFormat? Detect(string path, out string? problem)
    {
        problem = null;
        var name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
        }
        var extension = Path.GetExtension(name);
        if (extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return SignalFileFormat.Ndjson;
        }
        using var text = OpenText(path);
        try
        {
            // Leading blank lines are skipped by every reader, so detection skips them too.
            while (text.Peek() is '\r' or '\n' or ' ' or '\t')
            {
                text.Read();
            }
            if (text.Peek() == '{')
            {
                return SignalFileFormat.Ndjson;
            }
            if (text.Peek() < 0)
            {
                problem = "is empty: there is nothing to read";
                return null;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            problem = $"cannot be read ({e.Message})";
            return null;
        }
        var csv = new CsvReader(text);
        var status = csv.Read();
        if (csv.Failure is not null)
        {
            problem = csv.Error;
            return null;
        }
        if (status == CsvReadStatus.Record)
        {
            if (CsvHeader.Matches(csv.Fields, ToolkitCsvSignalReader.Columns))
            {
                return SignalFileFormat.ToolkitCsv;
            }
            if (CsvHeader.Matches(csv.Fields, CooRTweetCsvSignalReader.Columns))
            {
                return SignalFileFormat.CooRTweetCsv;
            }
        }
        // The first record of a file that is not CSV can be a thousand fields of a megabyte each;
        // only the start of it is shown.
        var first = csv.Fields.Count == 0 ? "nothing" : SignalFieldRules.Quote(string.Join(",", csv.Fields.Take(8).Select(f => f.Length > 100 ? f[..100] : f)));
        problem = $"is not a known signal format (got {first}); expected NDJSON (one JSON object per line, " +
            $"file name ending .ndjson or .jsonl) or a CSV with the header {string.Join(",", ToolkitCsvSignalReader.Columns)} " +
            $"(coordination network toolkit) or {string.Join(",", CooRTweetCsvSignalReader.Columns)} (CooRTweet)";
        return null;
    }

    private static IEnumerable<SignalReadResult> ReadCore(string path, SignalFileFormat format, SignalKind cooRTweetKind)
    {
        if (format == SignalFileFormat.Auto)
        {
            if (Detect(path, out var problem) is not { } detected)
            {
                yield return SignalReadResult.Fail(0, null, SignalError.WholeRecord, problem!);
                yield break;
            }
            format = detected;
        }
        if (format == SignalFileFormat.Ndjson)
        {
            using var stream = OpenDecompressed(path);
            foreach (var result in NdjsonSignalReader.Read(stream))
            {
                yield return result;
            }
            yield break;
        }
        using var text = OpenText(path);
        var results = format == SignalFileFormat.ToolkitCsv
            ? ToolkitCsvSignalReader.Read(text)
            : CooRTweetCsvSignalReader.Read(text, cooRTweetKind);
        foreach (var result in results)
        {
            yield return result;
        }
    }

    private static StreamReader OpenText(string path) =>
        new(OpenDecompressed(path), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true,
            bufferSize: 64 * 1024);

    /// <summary>The file's bytes, decompressed when it starts with gzip's magic bytes 1F 8B.</summary>
    private static Stream OpenDecompressed(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
                ? new GzipFileStream(file)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
