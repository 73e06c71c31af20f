package clinic.contracts.catalogue;

import java.time.LocalTime;

/** A local-time range of one day, {@code [from, to)}, in the location's zone. */
public record TimeRange(LocalTime from, LocalTime to) {}
