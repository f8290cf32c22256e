using System.Diagnostics.CodeAnalysis;
using Cib.Detection.Signals;

namespace Cib.Detection.Formats;

/// <summary>
/// One outcome of reading signal input: a signal, or the error that kept a record from becoming one.
/// Exactly one of the two is set; readers keep going after an error, so a bad record never hides the
/// good ones after it.
/// </summary>
public readonly record struct SignalReadResult
{
    /// <summary>Creates a result; exactly one of <paramref name="signal"/> and <paramref name="error"/>
    /// must be non-null.</summary>
    /// <exception cref="ArgumentException">Both or neither are set.</exception>
    public SignalReadResult(Signal? signal, SignalError? error)
    {
        if ((signal is null) == (error is null))
        {
            throw new ArgumentException("A read result holds exactly one of a signal and an error.");
        }
        Signal = signal;
        Error = error;
    }

    /// <summary>The signal read, or null when <see cref="Error"/> is set.</summary>
    public Signal? Signal { get; }

    /// <summary>The error, or null when <see cref="Signal"/> is set.</summary>
    public SignalError? Error { get; }

    /// <summary>Where the signal was read (1-based line for NDJSON), when the reader knows; 0 otherwise.
    /// Errors carry their position in <see cref="SignalError.Position"/>.</summary>
    public long Position { get; init; }

    /// <summary>True when this result is a signal.</summary>
    [MemberNotNullWhen(true, nameof(Signal))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSignal => Signal is not null;

    /// <summary>Deconstructs into the signal and the error.</summary>
    public void Deconstruct(out Signal? signal, out SignalError? error)
    {
        signal = Signal;
        error = Error;
    }

    /// <summary>A successful result.</summary>
    public static SignalReadResult Ok(Signal signal) => new(signal, null);

    /// <summary>A failed result.</summary>
    public static SignalReadResult Fail(SignalError error) => new(null, error);

    /// <summary>A failed result built from its parts.</summary>
    internal static SignalReadResult Fail(long position, string? recordId, string field, string message) =>
        new(null, new SignalError(position, recordId, field, message));

    /// <inheritdoc />
    public override string ToString() => IsSignal ? Signal.ToString() : Error.ToString();
}
