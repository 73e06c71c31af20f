package clinic.gateway.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

record Account(UUID id, String email, String name, List<String> roles, String passwordHash, Instant disabledAt) {
    boolean disabled() {
        return disabledAt != null;
    }

    AccountView view() {
        return new AccountView(id.toString(), email, name, List.copyOf(new java.util.TreeSet<>(roles)), disabled());
    }

    /** What the admin API shows: never the hash. */
    record AccountView(String id, String email, String name, List<String> roles, boolean disabled) {}
}
