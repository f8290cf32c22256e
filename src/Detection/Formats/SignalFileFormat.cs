namespace Cib.Detection.Formats;

/// <summary>The signal file formats Cib reads.</summary>
public enum SignalFileFormat
{
    /// <summary>Decide from the file name (.ndjson, .jsonl) or, failing that, the first line.</summary>
    Auto,

    /// <summary>One JSON object per line; see <see cref="NdjsonSignalReader"/>.</summary>
    Ndjson,

    /// <summary>The coordination network toolkit's generic CSV; see <see cref="ToolkitCsvSignalReader"/>.</summary>
    ToolkitCsv,

    /// <summary>CooRTweet's CSV; see <see cref="CooRTweetCsvSignalReader"/>.</summary>
    CooRTweetCsv,
}
