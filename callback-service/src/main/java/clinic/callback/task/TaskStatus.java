package clinic.callback.task;

/** Where a task is: nobody has it, one staff member has it, or it is closed for good. */
public enum TaskStatus { OPEN, CLAIMED, COMPLETED }
