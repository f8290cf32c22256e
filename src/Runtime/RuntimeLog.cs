using Microsoft.Extensions.Logging;

namespace Cib.Runtime;

internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Silo started with {StreamProviders} stream provider(s); reminders {RemindersEnabled}")]
    public static partial void SiloStarted(ILogger logger, int streamProviders, bool remindersEnabled);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Silo stopped after deactivating {Activations} activation(s)")]
    public static partial void SiloStopped(ILogger logger, int activations);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Activated {GrainId}")]
    public static partial void Activated(ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Activation of {GrainId} failed; its pending calls fail with the same error")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Deactivated {GrainId}: {ReasonCode} ({ReasonText})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReasonCode reasonCode, string reasonText);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed or timed out; the activation is removed anyway")]
    public static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Persistent state of {GrainId} conflicts with storage; deactivating so that the next call reloads it")]
    public static partial void InconsistentState(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "A timer callback of {GrainId} failed; the timer keeps running")]
    public static partial void TimerCallbackFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "Reminder {ReminderName} of {GrainId} failed")]
    public static partial void ReminderFailed(ILogger logger, Exception exception, string reminderName, GrainId grainId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Reading the reminder table failed; retrying at the next poll")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Stream provider {Provider}: delivery of event {SequenceNumber} on {Stream} failed (attempt {Attempts}); redelivering in {Delay}")]
    public static partial void StreamDeliveryFailed(ILogger logger, Exception exception, string provider, StreamId stream, long sequenceNumber, int attempts, TimeSpan delay);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Stream provider {Provider}: event {SequenceNumber} ({EventId}) on {Stream} failed {Attempts} times and was moved to the dead letters")]
    public static partial void StreamEventDeadLettered(ILogger logger, Exception exception, string provider, StreamId stream, long sequenceNumber, string eventId, int attempts);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Stream provider {Provider}: could not move event {SequenceNumber} on {Stream} to the dead letters; it will be retried")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, string provider, StreamId stream, long sequenceNumber);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "Stream provider {Provider}: reading or acknowledging events failed; retrying at the next poll")]
    public static partial void StreamPollFailed(ILogger logger, Exception exception, string provider);
}
