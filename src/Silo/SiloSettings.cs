namespace Cib.Silo;

/// <summary>Where the silo keeps its data and where it listens.</summary>
public sealed record SiloSettings
{
    /// <summary>Folder for the embedded SQLite database (default <c>./data</c>), created on first run.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>HTTP address (default <c>http://127.0.0.1:5080</c>; port 0 picks a free port).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Largest ingest request body accepted (default 64 MiB).</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "cib.db");
}
