package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * A new clinic's first start, as an owner installs it: not the local profile, so there is no demo
 * clinic, no demo user and no default key; the secrets are the operator's own (docs/operations.md,
 * "Secrets"), and the first admin comes from {@code CLINIC_FIRST_ADMIN_EMAIL}. From the invitation
 * mail alone the owner sets up a clinic through the admin API and a customer books it: the whole
 * path a clinic takes to adopt the platform, with nothing seeded and no SQL.
 *
 * <p>A platform of its own (ports offset +600 from the shared one), started and stopped here.
 */
class FirstInstallIT {
    private static final String OWNER = "owner@clinic.example";
    private static final Pattern LINK = Pattern.compile("/set-password\\.html\\?token=([A-Za-z0-9_-]+)");

    static Platform p;

    @BeforeAll
    static void install() throws Exception {
        int offset = Integer.parseInt(System.getProperty("clinic.portOffset", "1000")) + 600;
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "production");
        env.put("CLINIC_FIRST_ADMIN_EMAIL", OWNER);
        env.put("MAIL_FROM", "Clinic <hello@book.clinic.example>");
        env.put("STAFF_INBOX_DOMAIN", "clinic.example");
        env.put("CALLBACK_FALLBACK_INBOX", "callbacks@clinic.example");
        // Each secret to the one service that reads it (NAME__VAR, see ./clinic help).
        env.put("GATEWAY__CLINIC_KEY_ENCRYPTION_KEY", secret());
        // Every service that calls another has its own client at the issuer: the gateway holds the
        // bcrypt hash, the service the secret.
        for (String service : List.of("booking-service", "notification-service", "callback-service", "offer-service")) {
            String name = service.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            String clientSecret = secret();
            env.put("GATEWAY__CLINIC_CLIENT_" + name + "_SECRET_HASH", BCrypt.hashpw(clientSecret, BCrypt.gensalt(10)));
            env.put(name + "__CLINIC_CLIENT_SECRET", clientSecret);
        }
        p = Platform.startSeparate(Path.of("target/platform-first-install").toAbsolutePath(), offset, env);
    }

    @AfterAll
    static void uninstall() {
        if (p != null) p.stopQuietly();
    }

    @Test
    void anOwnerSetsUpANewClinicFromTheInvitationAndACustomerBooksIt() {
        // Nothing seeded: no clinic, no treatments, no therapists, no demo users.
        assertThat(p.get("/api/locations").body()).isEmpty();
        assertThat(p.get("/api/treatments").body()).isEmpty();
        assertThat(p.get("/api/therapists").body()).isEmpty();
        for (String demo : List.of("admin@clinic.test", "staff@clinic.test", "marketing@clinic.test")) {
            assertThat(p.post("/api/auth/login", Map.of("username", demo, "password", "dev-password")).status())
                    .as("demo user %s outside the local profile", demo).isEqualTo(401);
        }
        // The bank holidays are there out of the box: Christmas is not bookable on a fresh start.
        int year = LocalDate.now(Journeys.LONDON).getYear();
        LocalDate christmas = LocalDate.of(year, 12, 25);
        if (christmas.isBefore(LocalDate.now(Journeys.LONDON).plusDays(2))) christmas = christmas.plusYears(1);
        assertThat(p.closedDays(christmas, christmas.plusDays(1))).contains(christmas, christmas.plusDays(1));

        // The first admin: an invitation mail, a password chosen from its link (single use).
        await().atMost(Duration.ofSeconds(60)).until(() -> p.mail(OWNER).size() >= 1);
        JsonNode invitation = p.mail(OWNER).get(0);
        assertThat(invitation.get("from").toString()).contains("hello@book.clinic.example");
        Matcher m = LINK.matcher(invitation.toString());
        assertThat(m.find()).as("a set-password link in %s", invitation).isTrue();
        String token = m.group(1);
        var weak = p.post("/api/auth/password", Map.of("token", token, "password", "Password1234"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body().get("code").asText()).isEqualTo("weak_password");
        String password = "Hathersage-" + secret().substring(0, 10);
        assertThat(p.post("/api/auth/password", Map.of("token", token, "password", password)).status()).isEqualTo(204);
        var again = p.post("/api/auth/password", Map.of("token", token, "password", password + "x"));
        assertThat(again.status()).as("the link works once").isEqualTo(400);
        assertThat(again.body().get("code").asText()).isEqualTo("invalid_token");
        var login = p.post("/api/auth/login", Map.of("username", OWNER, "password", password));
        assertThat(login.status()).as(String.valueOf(login.body())).isEqualTo(200);
        assertThat(login.body().get("roles").toString()).isEqualTo("[\"ADMIN\"]");
        String admin = "Bearer " + login.body().get("accessToken").asText();

        // The owner sets up a clinic through the admin API: a location, a treatment, a therapist
        // who works there on weekdays.
        String line1 = "12 Station Approach";
        assertThat(p.post("/api/admin/locations", AdminJourneyIT.location("bakewell", "Bakewell", line1, "DE45 1AA"),
                "Authorization", admin).status()).isEqualTo(201);
        assertThat(p.post("/api/admin/treatments", AdminJourneyIT.treatment("rehab-45", "rehab"),
                "Authorization", admin).status()).isEqualTo(201);
        assertThat(p.post("/api/admin/therapists", Map.of("id", "bakewell-rowan", "name", "Rowan Hale",
                "bio", "Sports massage and rehab.", "treatmentIds", List.of("rehab-45"), "active", true),
                "Authorization", admin).status()).isEqualTo(201);
        List<Map<String, Object>> days = new ArrayList<>();
        for (String d : AdminJourneyIT.WEEKDAYS) days.add(AdminJourneyIT.entry(d, "bakewell", "09:00", "17:00", List.of()));
        var pattern = p.put("/api/admin/therapists/bakewell-rowan/working-hours",
                Map.of("effectiveFrom", LocalDate.now(Journeys.LONDON).toString(), "days", days), "Authorization", admin);
        assertThat(pattern.status()).as(String.valueOf(pattern.body())).isBetween(200, 204);

        // Customers see it at once, bank holidays included.
        assertThat(p.get("/api/locations").body().get(0).get("address").asText()).contains(line1);
        LocalDate open = p.openWeekday(LocalDate.now(Journeys.LONDON).plusDays(3));
        JsonNode slots = Journeys.slots(p, "bakewell", "rehab-45", open);
        assertThat(slots).isNotEmpty();
        if (christmas.getDayOfWeek().getValue() <= 5) {
            assertThat(Journeys.slots(p, "bakewell", "rehab-45", christmas)).as("Christmas Day").isEmpty();
        }

        // A customer books; the confirmation mail (events, the service clients' own tokens for the
        // contact and manage link) carries the clinic's address.
        String customer = Journeys.uniqueEmail("first-customer");
        var booked = p.post("/api/bookings", Journeys.booking("bakewell", "rehab-45", slots.get(0), customer, null));
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> p.mail(customer).size() >= 1);
        String confirmation = p.mail(customer).get(0).toString();
        assertThat(confirmation).contains(line1).contains("manage");
    }

    private static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
