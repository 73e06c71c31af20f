package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract 1.1 "Privacy" through the gateway: a customer with a booking, a callback request (with
 * the newsletter opt-in) and the mails they cause; the confirmation's manage link (minted by
 * booking-service for the mail, events carrying ids only) opens the booking; the admin export
 * returns all of it with the consents' policy version; every topic read from the beginning holds
 * none of the customer's name, email or phone; no service log holds their email or phone.
 */
class PrivacyIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void aCustomersDataIsExportedWholeAndNeverOnKafkaOrInTheLogs() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String email = "privacy-" + run + "@example.com";
        String name = "Priya Vasquez-" + run;
        // A mobile the platform accepts and no other test uses, typed as a customer types it (national,
        // with a space); the services store and send it as E.164.
        String e164 = Journeys.uniqueMobile();
        String national = "0" + e164.substring(3, 7) + " " + e164.substring(7);
        String admin = p.token("admin@clinic.test");

        // a booking
        var day = Journeys.weekdayAhead(9);
        JsonNode slot = Journeys.slots(p, "sheffield", "sports-massage-30", day).get(0);
        Map<String, Object> booking = new HashMap<>(Journeys.booking("sheffield", "sports-massage-30", slot, email, null));
        booking.put("customer", Map.of("name", name, "email", email, "phone", national));
        var created = p.post("/api/bookings", booking);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String ref = created.body().get("reference").asText();

        // a callback request with the newsletter opt-in
        Map<String, Object> callback = new HashMap<>(Journeys.callback(name, email, "doncaster"));
        callback.put("phone", national);
        callback.put("marketingOptIn", true);
        var requested = p.post("/api/callbacks", callback);
        assertThat(requested.status()).as(String.valueOf(requested.body())).isEqualTo(202);

        // confirmation, callback receipt and newsletter confirmation mails
        await().atMost(Duration.ofSeconds(60)).until(() -> p.mail(email).size() >= 3);
        String mails = p.mail(email).toString();
        assertThat(mails).contains(name);
        // The manage link in the confirmation was minted for the mail and opens the booking.
        Matcher link = Pattern.compile("manage\\.html\\?ref=" + ref + "(?:&|\\\\u0026|&amp;)token=([A-Za-z0-9_-]{22})")
                .matcher(mails);
        assertThat(link.find()).as("a manage link in the confirmation").isTrue();
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", link.group(1)).status()).isEqualTo(200);

        // the export, through the gateway
        var export = p.get("/api/admin/privacy/export?email=" + email.toUpperCase(), "Authorization", admin);
        assertThat(export.status()).as(String.valueOf(export.body())).isEqualTo(200);
        JsonNode e = export.body();
        assertThat(e.get("bookings").findValuesAsText("reference")).containsExactly(ref);
        assertThat(e.at("/bookings/0/phone").asText()).isEqualTo(e164);
        assertThat(e.get("callbacks")).hasSize(1);
        assertThat(e.get("consents").findValuesAsText("policyVersion")).containsOnly("2026-01").hasSize(2);
        assertThat(e.at("/newsletter/status").asText()).isEqualTo("PENDING");
        assertThat(e.at("/newsletter/consentSource").asText()).isEqualTo("callback");
        assertThat(e.get("notifications").findValuesAsText("template"))
                .contains("booking-confirmed", "callback-received", "newsletter-confirm");
        assertThat(p.get("/api/admin/privacy/export?email=" + email, "Authorization", p.token("staff@clinic.test"))
                .status()).isEqualTo(403);

        // Kafka: every topic from the beginning (events of this build's code only on a fresh platform)
        List<String> hits = topicsMentioning(p, List.of(email, name, e164, national.replace(" ", "")));
        assertThat(hits).as("records on Kafka holding this customer's data").isEmpty();

        // Logs: no email address or phone number of this customer in any service's log
        assertThat(logsMentioning(p, List.of(email, e164, national, national.replace(" ", ""))))
                .as("log lines holding this customer's email or phone").isEmpty();
    }

    /** Every record of every topic, values and headers, that contains one of {@code needles} (StaffDeskIT too). */
    static List<String> topicsMentioning(Platform p, List<String> needles) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + p.kafkaPort);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "privacy-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> hits = new ArrayList<>();
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", "127.0.0.1:" + p.kafkaPort));
             var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var topics = admin.listTopics().names().get().stream().filter(t -> !t.startsWith("__")).toList();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) consumer.partitionsFor(t).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder all = new StringBuilder(String.valueOf(r.key())).append(' ').append(r.value());
                    for (Header h : r.headers()) all.append(' ').append(new String(h.value(), StandardCharsets.UTF_8));
                    String text = all.toString();
                    for (String n : needles) {
                        if (text.toLowerCase().contains(n.toLowerCase())) hits.add(r.topic() + "@" + r.offset() + " holds " + n);
                    }
                }
            }
            assertThat(partitions).as("read to the end").allMatch(tp -> consumer.position(tp) >= end.get(tp));
        } catch (InterruptedException | java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException(ex);
        }
        return hits;
    }

    /** Lines of the services' (and the gateway's) logs of this run that contain one of {@code needles}. */
    static List<String> logsMentioning(Platform p, List<String> needles) throws IOException {
        Path logs = p.dataDir.resolve("logs");
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .filter(f -> f.getFileName().toString().matches("(gateway|.*-service).*")).toList()) {
                // Lenient decoding: a log line is scanned whatever bytes a library wrote into it.
                for (String line : new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n")) {
                    for (String n : needles) {
                        if (line.toLowerCase().contains(n.toLowerCase())) {
                            hits.add(f.getFileName() + ": " + line.substring(0, Math.min(300, line.length())));
                        }
                    }
                }
            }
        }
        return hits;
    }
}
