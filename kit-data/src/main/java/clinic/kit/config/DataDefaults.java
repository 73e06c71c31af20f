package clinic.kit.config;

/** Adds kit-data's {@code clinic-kit-defaults-data.properties} (Flyway) at the lowest precedence. */
public class DataDefaults extends KitDefaults {
    public DataDefaults() {
        super("clinic-kit-defaults-data.properties");
    }
}
