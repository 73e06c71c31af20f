package clinic.analytics.report;

import clinic.analytics.config.AnalyticsProperties;
import clinic.kit.web.ClinicException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Derives every figure from the fact tables at query time. Nothing here is a running counter, so
 * a redelivered or late event cannot make a figure drift.
 */
@Service
public class ReportService {
    private final DatabaseClient db;
    private final AnalyticsProperties props;

    public ReportService(DatabaseClient db, AnalyticsProperties props) {
        this.db = db;
        this.props = props;
    }

    public Mono<Summary> summary(Period p) {
        return Mono.zip(bookings(p), offers(p), callbacks(p), notifications(p), made(p), signUps(p))
                .map(t -> {
                    BookingFigures b = t.getT1();
                    Made m = t.getT5();
                    return new Summary(b.bookings(), b.revenuePence(), b.discountPence(), offerResults(t.getT2(), m),
                            t.getT3(), t.getT4(), new Summary.BookingsMade(m.count(), m.cancelledSince()),
                            new Summary.Cancellations(m.cancellations()), treatments(b, m),
                            new Summary.Newsletter(t.getT6()));
                });
    }

    private record BookingFigures(Summary.Bookings bookings, long revenuePence, long discountPence,
                                  Map<String, Long> revenueByTreatment) {}

    /**
     * Figures by the day things happened rather than by appointment day (issue 25): bookings made
     * (confirmed) and cancellations in the period, in total, per treatment and, for bookings made,
     * per promo code.
     */
    private record Made(long count, long cancelledSince, long cancellations, Map<String, Long> madeByTreatment,
                        Map<String, Long> cancelledByTreatment, Map<String, Long> madeByCode) {}

    private Mono<Made> made(Period p) {
        return db.sql("""
                        select treatment_id, promo_code,
                               count(*) filter (where booked_at >= :start and booked_at < :end) as made,
                               count(*) filter (where booked_at >= :start and booked_at < :end
                                   and cancelled_at is not null) as made_cancelled,
                               count(*) filter (where cancelled_at >= :start and cancelled_at < :end) as cancelled
                        from booking_made_fact
                        where (booked_at >= :start and booked_at < :end)
                           or (cancelled_at >= :start and cancelled_at < :end)
                        group by treatment_id, promo_code
                        """)
                .bind("start", p.start()).bind("end", p.end())
                .fetch().all()
                .collectList()
                .map(rows -> {
                    long made = 0, madeCancelled = 0, cancelled = 0;
                    Map<String, Long> madeByTreatment = new TreeMap<>();
                    Map<String, Long> cancelledByTreatment = new TreeMap<>();
                    Map<String, Long> madeByCode = new TreeMap<>();
                    for (Map<String, Object> r : rows) {
                        long n = num(r.get("made")), c = num(r.get("cancelled"));
                        made += n;
                        madeCancelled += num(r.get("made_cancelled"));
                        cancelled += c;
                        String treatment = (String) r.get("treatment_id");
                        if (treatment != null) {
                            if (n > 0) madeByTreatment.merge(treatment, n, Long::sum);
                            if (c > 0) cancelledByTreatment.merge(treatment, c, Long::sum);
                        }
                        String code = (String) r.get("promo_code");
                        if (code != null && n > 0) madeByCode.merge(code, n, Long::sum);
                    }
                    return new Made(made, madeCancelled, cancelled, madeByTreatment, cancelledByTreatment, madeByCode);
                });
    }

    /** Every treatment with an appointment, a booking made or a cancellation in the period, by id. */
    private static List<Summary.TreatmentResults> treatments(BookingFigures b, Made m) {
        java.util.SortedSet<String> ids = new java.util.TreeSet<>(b.bookings().byTreatment().keySet());
        ids.addAll(m.madeByTreatment().keySet());
        ids.addAll(m.cancelledByTreatment().keySet());
        List<Summary.TreatmentResults> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new Summary.TreatmentResults(id, b.bookings().byTreatment().getOrDefault(id, 0L),
                    b.revenueByTreatment().getOrDefault(id, 0L), m.madeByTreatment().getOrDefault(id, 0L),
                    m.cancelledByTreatment().getOrDefault(id, 0L)));
        }
        return out;
    }

    /** The period's redemptions per code, with the bookings made with each code; codes only made still listed. */
    private static List<Summary.OfferRedemptions> offerResults(List<Summary.OfferRedemptions> redeemed, Made m) {
        Map<String, Summary.OfferRedemptions> byCode = new TreeMap<>();
        for (Summary.OfferRedemptions o : redeemed) {
            byCode.put(o.code(), new Summary.OfferRedemptions(o.code(), o.redemptions(), o.discountPence(),
                    o.revenuePence(), m.madeByCode().getOrDefault(o.code(), 0L)));
        }
        m.madeByCode().forEach((code, n) -> byCode.putIfAbsent(code, new Summary.OfferRedemptions(code, 0, 0, 0, n)));
        return List.copyOf(byCode.values());
    }

    private Mono<Long> signUps(Period p) {
        return db.sql("select count(*) as n from newsletter_fact where confirmed_at >= :start and confirmed_at < :end")
                .bind("start", p.start()).bind("end", p.end())
                .map((row, meta) -> num(row.get("n")))
                .one();
    }

    private Mono<BookingFigures> bookings(Period p) {
        return Mono.zip(bookingCounts(p), attendance(p)).map(t -> {
            Summary.Bookings b = t.getT1().bookings();
            Attendance a = t.getT2();
            return new BookingFigures(new Summary.Bookings(b.count(), b.byLocation(), b.byTreatment(), a.attended(),
                    a.noShows(), a.noShowsByLocation()), t.getT1().revenuePence(), t.getT1().discountPence(),
                    t.getT1().revenueByTreatment());
        });
    }

    private record Attendance(long attended, long noShows, Map<String, Long> noShowsByLocation) {}

    /** Attendance of the period's bookings that still stand (a cancelled booking counts nowhere). */
    private Mono<Attendance> attendance(Period p) {
        return db.sql("""
                        select a.location_id, a.status, count(*) as n
                        from attendance_fact a left join booking_fact b on b.reference = a.reference
                        where a.appointment_date between :from and :to and coalesce(b.status, 'CONFIRMED') <> 'CANCELLED'
                        group by a.location_id, a.status
                        """)
                .bind("from", p.from()).bind("to", p.to())
                .fetch().all()
                .collectList()
                .map(rows -> {
                    long attended = 0, noShows = 0;
                    Map<String, Long> byLocation = new TreeMap<>();
                    for (Map<String, Object> r : rows) {
                        long n = num(r.get("n"));
                        if ("ATTENDED".equals(r.get("status"))) {
                            attended += n;
                        } else {
                            noShows += n;
                            byLocation.merge((String) r.get("location_id"), n, Long::sum);
                        }
                    }
                    return new Attendance(attended, noShows, byLocation);
                });
    }

    private Mono<BookingFigures> bookingCounts(Period p) {
        return db.sql("""
                        select location_id, treatment_id, count(*) as n,
                               coalesce(sum(total_pence), 0)::bigint as revenue,
                               coalesce(sum(discount_pence), 0)::bigint as discount
                        from booking_fact
                        where status = 'CONFIRMED' and appointment_date between :from and :to
                        group by location_id, treatment_id
                        """)
                .bind("from", p.from()).bind("to", p.to())
                .fetch().all()
                .collectList()
                .map(rows -> {
                    long count = 0, revenue = 0, discount = 0;
                    Map<String, Long> byLocation = new TreeMap<>();
                    Map<String, Long> byTreatment = new TreeMap<>();
                    Map<String, Long> revenueByTreatment = new TreeMap<>();
                    for (Map<String, Object> r : rows) {
                        long n = num(r.get("n"));
                        count += n;
                        revenue += num(r.get("revenue"));
                        discount += num(r.get("discount"));
                        byLocation.merge((String) r.get("location_id"), n, Long::sum);
                        byTreatment.merge((String) r.get("treatment_id"), n, Long::sum);
                        revenueByTreatment.merge((String) r.get("treatment_id"), num(r.get("revenue")), Long::sum);
                    }
                    return new BookingFigures(new Summary.Bookings(count, byLocation, byTreatment, 0, 0, Map.of()), revenue,
                            discount, revenueByTreatment);
                });
    }

    /**
     * Redemptions join their booking so they count on the appointment's day, like revenue: the
     * offers list then adds up with the bookings of the same period.
     */
    private Mono<List<Summary.OfferRedemptions>> offers(Period p) {
        return db.sql("""
                        select r.code, count(*) as n, coalesce(sum(r.discount_pence), 0)::bigint as discount,
                               coalesce(sum(b.total_pence), 0)::bigint as revenue
                        from redemption_fact r
                        join booking_fact b on b.booking_id = r.booking_id
                        where r.status = 'REDEEMED' and b.status = 'CONFIRMED'
                          and b.appointment_date between :from and :to
                        group by r.code
                        order by r.code
                        """)
                .bind("from", p.from()).bind("to", p.to())
                .map((row, meta) -> new Summary.OfferRedemptions(row.get("code", String.class),
                        num(row.get("n")), num(row.get("discount")), num(row.get("revenue")), 0))
                .all()
                .collectList();
    }

    /**
     * A completion with no attempt logged before it still means staff reached out, so it stands in
     * as the first attempt; an earlier attempt, whenever its event arrives, takes precedence.
     */
    private Mono<Summary.Callbacks> callbacks(Period p) {
        return db.sql("""
                        select count(*) as requested,
                               count(completed_at) as completed,
                               count(sla_breached_at) as breached,
                               percentile_cont(0.5) within group (order by
                                   extract(epoch from (coalesce(first_attempt_at, completed_at) - requested_at)) / 60.0)
                                   as median_minutes
                        from callback_fact
                        where requested_at >= :start and requested_at < :end
                        """)
                .bind("start", p.start()).bind("end", p.end())
                .map((row, meta) -> {
                    Object median = row.get("median_minutes");
                    return new Summary.Callbacks(num(row.get("requested")), num(row.get("completed")),
                            median == null ? null : round1(((Number) median).doubleValue()),
                            num(row.get("breached")));
                })
                .one();
    }

    private Mono<Summary.Notifications> notifications(Period p) {
        return db.sql("""
                        select count(*) filter (where status = 'SENT') as sent,
                               count(*) filter (where status = 'FAILED') as failed
                        from notification_fact
                        where created_at >= :start and created_at < :end
                        """)
                .bind("start", p.start()).bind("end", p.end())
                .map((row, meta) -> new Summary.Notifications(num(row.get("sent")), num(row.get("failed"))))
                .one();
    }

    /** Every day of the period, days without bookings included, so a chart needs no gap filling. */
    public Mono<List<DayBookings>> bookingsPerDay(Period p) {
        if (p.days() > props.maxChartDays()) return Mono.error(new PeriodTooLong(props.maxChartDays()));
        return db.sql("""
                        select appointment_date, count(*) as n, coalesce(sum(total_pence), 0)::bigint as revenue
                        from booking_fact
                        where status = 'CONFIRMED' and appointment_date between :from and :to
                        group by appointment_date
                        """)
                .bind("from", p.from()).bind("to", p.to())
                .map((row, meta) -> new DayBookings(row.get("appointment_date", LocalDate.class),
                        num(row.get("n")), num(row.get("revenue"))))
                .all()
                .collectList()
                .map(found -> {
                    Map<LocalDate, DayBookings> byDay = new HashMap<>();
                    found.forEach(d -> byDay.put(d.date(), d));
                    List<DayBookings> days = new ArrayList<>();
                    for (LocalDate d = p.from(); !d.isAfter(p.to()); d = d.plusDays(1)) {
                        days.add(byDay.getOrDefault(d, new DayBookings(d, 0, 0)));
                    }
                    return days;
                });
    }

    /** 404 when no event of the offer (launch, end, redemption) has been seen. */
    public Mono<OfferPerformance> offer(String offerId) {
        return db.sql("""
                        select (select code from offer_fact where offer_id = :id) as offer_code,
                               (select count(*) from offer_fact where offer_id = :id) as offer_rows,
                               max(r.code) as redemption_code,
                               count(r.booking_id) as seen,
                               count(*) filter (where r.status = 'REDEEMED') as redeemed,
                               count(*) filter (where r.status = 'RELEASED') as released,
                               coalesce(sum(r.discount_pence) filter (where r.status = 'REDEEMED'), 0)::bigint
                                   as discount,
                               coalesce(sum(b.total_pence) filter (where r.status = 'REDEEMED'
                                   and b.status = 'CONFIRMED'), 0)::bigint as revenue
                        from redemption_fact r
                        left join booking_fact b on b.booking_id = r.booking_id
                        where r.offer_id = :id
                        """)
                .bind("id", offerId)
                .fetch().one()
                .flatMap(r -> {
                    if (num(r.get("offer_rows")) == 0 && num(r.get("seen")) == 0) return Mono.empty();
                    String code = r.get("offer_code") != null ? (String) r.get("offer_code")
                            : (String) r.get("redemption_code");
                    return Mono.just(new OfferPerformance(offerId, code, num(r.get("redeemed")),
                            num(r.get("released")), num(r.get("discount")), num(r.get("revenue"))));
                })
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Offer")));
    }

    private static long num(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static double round1(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
