using Cib.Detection.Signals;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cib.Grains.Ingest;

/// <summary>
/// Inserts blocks (<see cref="SignalBlock"/>) into the signal log's table through SQLite's C API, inside a transaction
/// already open on the connection: one statement prepared per batch, its parameters bound by position, the block bound
/// from the encoding buffer without a copy. Not through <see cref="SqliteCommand"/>, which looks each parameter up by
/// name and binds it through a parameter object on every execution.
/// </summary>
internal sealed class SignalBlockWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;

    /// <summary>Prepares <paramref name="insertSql"/>, whose 3 parameters are the first sequence number, the count and the block.</summary>
    public SignalBlockWriter(SqliteConnection connection, string insertSql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, insertSql, out _insert), _db);
    }

    /// <summary>Inserts <paramref name="signals"/> as the block that starts at sequence number <paramref name="firstSeq"/>,
    /// encoded in <paramref name="buffer"/> (grown as needed); throws <see cref="SqliteException"/> when SQLite refuses.</summary>
    public void Insert(long firstSeq, List<Signal> signals, ref byte[] buffer)
    {
        var length = SignalBlock.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(signals), ref buffer);
        Bind(raw.sqlite3_bind_int64(_insert, 1, firstSeq));
        Bind(raw.sqlite3_bind_int(_insert, 2, signals.Count));
        Bind(raw.sqlite3_bind_blob(_insert, 3, buffer.AsSpan(0, length)));
        var rc = raw.sqlite3_step(_insert);
        raw.sqlite3_reset(_insert);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Bind(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose() => _insert.Dispose();
}
