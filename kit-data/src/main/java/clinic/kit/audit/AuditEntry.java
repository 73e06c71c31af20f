package clinic.kit.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One audited write. {@code actor} is the signed-in user (or {@code system:<service>} for a change
 * made by the platform itself), {@code action} a dotted verb such as {@code therapist.updated},
 * {@code target} what it changed ({@code therapist/amara-okafor}, {@code booking/ABC123}).
 */
public record AuditEntry(Instant at, String service, String actor, String action, String target,
                         JsonNode details) {}
