package clinic.booking.admin;

import clinic.kit.audit.AuditLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * The bank holidays of England and Wales (closures/england-and-wales.csv) as closures of every
 * location, in every profile, at every start: added through {@link CatalogueAdmin} like an admin's
 * closure (event, audit as the system), idempotently by id {@code bank-holiday-YYYY-MM-DD}; one
 * an admin withdrew stays withdrawn. Christmas Day and Boxing Day are closed in every listed year
 * even when the official holiday is a substitute day.
 */
@Component
class BankHolidays {
    private static final Logger log = LoggerFactory.getLogger(BankHolidays.class);
    static final String FILE = "closures/england-and-wales.csv";

    private final CatalogueAdmin admin;

    BankHolidays(CatalogueAdmin admin) {
        this.admin = admin;
    }

    record Holiday(LocalDate date, String name) {
        String id() {
            return "bank-holiday-" + date;
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(20)
    void apply() {
        List<Holiday> holidays = read();
        Long added = Flux.fromIterable(holidays)
                .concatMap(h -> admin.addClosure(AuditLog.system("booking-service"), h.id(), h.date(), null, h.name())
                        .map(affected -> 1L)
                        .onErrorResume(clinic.kit.data.SqlStates::isUniqueViolation, e -> reactor.core.publisher.Mono.empty()))
                .count().block();
        log.info("bank holidays: {} listed, {} added", holidays.size(), added);
    }

    /** The file's holidays plus 25 and 26 December of each year it lists. */
    static List<Holiday> read() {
        Map<LocalDate, String> byDate = new LinkedHashMap<>();
        try (var in = new BufferedReader(new InputStreamReader(new ClassPathResource(FILE).getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("date,")) continue;
                int comma = line.indexOf(',');
                byDate.put(LocalDate.parse(line.substring(0, comma).strip()), line.substring(comma + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        TreeSet<Integer> years = new TreeSet<>();
        byDate.keySet().forEach(d -> years.add(d.getYear()));
        for (int year : years) {
            byDate.putIfAbsent(LocalDate.of(year, Month.DECEMBER, 25), "Christmas Day");
            byDate.putIfAbsent(LocalDate.of(year, Month.DECEMBER, 26), "Boxing Day");
        }
        List<Holiday> out = new ArrayList<>();
        byDate.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new Holiday(e.getKey(), e.getValue())));
        return out;
    }
}
