package clinic.callback.stream;

import clinic.callback.task.TaskView;

/** One committed change as the stream sends it: SSE id = seq, event = name, data = task. */
public record TaskEvent(long seq, String name, TaskView task) {}
