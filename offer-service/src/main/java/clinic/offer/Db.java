package clinic.offer;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/** Binding of optional values, which R2DBC wants typed when they are null. */
public final class Db {
    private Db() {}

    public static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }
}
