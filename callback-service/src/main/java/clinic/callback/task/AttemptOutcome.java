package clinic.callback.task;

/** How a call attempt went (after Close's call outcome codes). */
public enum AttemptOutcome { NO_ANSWER, VOICEMAIL, WRONG_NUMBER, REACHED }
