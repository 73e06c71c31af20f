package clinic.notification.template;

import clinic.notification.config.NotificationProperties;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** British English money and clinic-local times, as customers read them. */
@Component
public class Formats {
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm", Locale.UK);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);

    private final ZoneId zone;

    public Formats(NotificationProperties props) {
        this.zone = props.zone();
    }

    /** 4950 → {@code £49.50}; 104950 → {@code £1,049.50}. */
    public static String money(long pence) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.UK));
        return (pence < 0 ? "-£" : "£") + f.format(BigDecimal.valueOf(Math.abs(pence), 2));
    }

    /** e.g. {@code Wednesday 10 February 2027 at 10:00}, in the clinic's zone (GMT or BST). */
    public String dateTime(Instant t) {
        return DATE_TIME.format(t.atZone(zone));
    }

    public String date(Instant t) {
        return DATE.format(t.atZone(zone));
    }

    public String time(Instant t) {
        return TIME.format(t.atZone(zone));
    }

    public ZoneId zone() {
        return zone;
    }
}
