package clinic.contracts.catalogue;

/** Topic and wire types of the catalogue. Key of every record: the changed thing's id. */
public final class CatalogueTopics {
    private CatalogueTopics() {}

    public static final String TOPIC = "catalogue.events";
    public static final String LOCATION_CHANGED = "location.changed.v1";
    public static final String TREATMENT_CHANGED = "treatment.changed.v1";
    public static final String THERAPIST_CHANGED = "therapist.changed.v1";
    public static final String CLOSURE_CHANGED = "closure.changed.v1";
}
