package clinic.offer;

import clinic.kit.web.ClinicException;
import java.util.UUID;

/** Ids in paths: one that is not a UUID names nothing, so it is 404 like any other unknown id. */
public final class PathIds {
    private PathIds() {}

    public static UUID uuidOrNotFound(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ClinicException.notFound(what);
        }
    }
}
