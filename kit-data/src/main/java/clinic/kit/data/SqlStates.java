package clinic.kit.data;

import io.r2dbc.spi.R2dbcException;

/**
 * PostgreSQL's answers that services turn into business outcomes: a unique or exclusion constraint
 * deciding a race, a foreign key naming something unknown, a deadlock worth one more try. Spring wraps
 * the driver's exception (DataIntegrityViolationException, ...), so the whole cause chain is searched.
 */
public final class SqlStates {
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String EXCLUSION_VIOLATION = "23P01";
    public static final String DEADLOCK = "40P01";
    public static final String SERIALIZATION_FAILURE = "40001";

    private SqlStates() {}

    /** Whether {@code e} (or a cause) is the database reporting {@code sqlState}. */
    public static boolean is(Throwable e, String sqlState) {
        return violates(e, sqlState, null);
    }

    /** Whether {@code e} is a unique violation (23505), on any constraint. */
    public static boolean isUniqueViolation(Throwable e) {
        return is(e, UNIQUE_VIOLATION);
    }

    /**
     * Whether {@code e} is the database reporting {@code sqlState} on a constraint whose name starts
     * with {@code constraintPrefix} (any constraint when null). The name comes from PostgreSQL's error
     * fields; a driver that does not give them is matched on the message.
     */
    public static boolean violates(Throwable e, String sqlState, String constraintPrefix) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof R2dbcException r && sqlState.equals(r.getSqlState())) {
                if (constraintPrefix == null) return true;
                String message = String.valueOf(r.getMessage());
                if (t instanceof io.r2dbc.postgresql.api.PostgresqlException pg) {
                    return pg.getErrorDetails().getConstraintName().map(n -> n.startsWith(constraintPrefix))
                            .orElse(message.contains(constraintPrefix));
                }
                return message.contains(constraintPrefix);
            }
        }
        return false;
    }
}
