package clinic.contracts.offer;

/** Topic and wire types of offer-service. Key of every record: the offer id. */
public final class OfferTopics {
    private OfferTopics() {}

    public static final String TOPIC = "offer.events";
    public static final String LAUNCHED = "offer.launched.v1";
    public static final String EXPIRED = "offer.expired.v1";
    public static final String ENDED = "offer.ended.v1";
    public static final String PROMO_REDEEMED = "promo.redeemed.v1";
    public static final String PROMO_RELEASED = "promo.released.v1";
}
