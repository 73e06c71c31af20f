package clinic.offer.offers;

/** SCHEDULED → LIVE at startsAt → EXPIRED at endsAt; ENDED when marketing stops it early. */
public enum OfferStatus {
    SCHEDULED, LIVE, EXPIRED, ENDED;

    public boolean isOver() {
        return this == EXPIRED || this == ENDED;
    }
}
