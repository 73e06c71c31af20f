package clinic.notification.template;

import clinic.notification.config.NotificationProperties;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/** British English money, clinic-local times and UK phone numbers, as customers read them. */
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

    /** Area codes of six digits (with the 0): their local numbers have four or five digits. */
    private static final Set<String> SIX_DIGIT_AREAS = Set.of("013873", "015242", "015394", "015395", "015396",
            "016973", "016974", "016977", "017683", "017684", "017687", "019467", "019755", "019756");

    /**
     * A UK number as people in the UK write it, grouped by its kind: {@code +441144960000} →
     * {@code 0114 496 0000}, {@code +442079460000} → {@code 020 7946 0000}, {@code +441433650000} →
     * {@code 01433 650000}, {@code +447700900123} → {@code 07700 900123}. Numbers from elsewhere, and
     * anything that is not a UK number, are shown as given; null is empty.
     */
    public static String ukPhone(String phone) {
        if (phone == null || phone.isBlank()) return "";
        String given = phone.strip();
        String digits = given.replaceAll("[\\s().\\-]", "");
        String national;
        if (digits.startsWith("+44")) national = "0" + digits.substring(3);
        else if (digits.startsWith("0044")) national = "0" + digits.substring(4);
        else if (digits.startsWith("0") && !digits.startsWith("00")) national = digits;
        else return given;
        // "+44 (0)114 ..." carries the trunk 0 twice.
        if (national.startsWith("00")) national = national.substring(1);
        if (!national.matches("0[1-9]\\d{8,9}")) return given;
        int[] groups;
        if (national.startsWith("02")) groups = new int[] {3, 4};
        else if (national.startsWith("01") && SIX_DIGIT_AREAS.contains(national.substring(0, 6))) groups = new int[] {6};
        else if (national.startsWith("011") || national.matches("01\\d1.*")) groups = new int[] {4, 3};
        else if (national.startsWith("01") || national.startsWith("07")) groups = new int[] {5};
        else groups = new int[] {4, 3};
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int g : groups) {
            if (at + g >= national.length()) break;
            out.append(national, at, at + g).append(' ');
            at += g;
        }
        return out.append(national.substring(at)).toString();
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
