package clinic.contracts.booking;

/** Topic and wire types of booking-service. Key of every record: the booking reference. */
public final class BookingTopics {
    private BookingTopics() {}

    public static final String TOPIC = "booking.events";
    public static final String CONFIRMED = "booking.confirmed.v1";
    public static final String CANCELLED = "booking.cancelled.v1";
    public static final String RESCHEDULED = "booking.rescheduled.v1";
    public static final String ATTENDED = "booking.attended.v1";
    public static final String NO_SHOW = "booking.no_show.v1";
    /** Version 2 of each: no personal data and no manage token (docs/adr/0007). Published since 1.1. */
    public static final String CONFIRMED_V2 = "booking.confirmed.v2";
    public static final String CANCELLED_V2 = "booking.cancelled.v2";
    public static final String RESCHEDULED_V2 = "booking.rescheduled.v2";
}
