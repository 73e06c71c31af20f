package clinic.callback.task;

/** Why a task was closed. */
public enum CompletionOutcome { BOOKED, INFO_GIVEN, NOT_INTERESTED, UNREACHABLE }
