package clinic.systemtests.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/api/openapi.yaml as a checker of real traffic: the one place where the system tests hold
 * every exchange with the gateway to the document (OpenAPI 3.1 schemas are JSON Schema 2020-12,
 * validated with networknt; paths are matched here because Atlassian's validator does not read 3.1).
 *
 * <p>For a request the document calls invalid the platform must answer 4xx (a test may send one on
 * purpose; the platform accepting it is drift). Every response must have a status the operation
 * lists, and a body matching the schema of that status and content type; every non-2xx answer is a
 * problem document with a {@code code}. Event streams and web pages are exempt. Operations marked
 * {@code x-implemented: false} would be held only to the problem-document rule; since erasure was built
 * there are none, and ApiContractTest fails if one appears.
 */
public final class ApiContract {
    /** The document's id for the schema loader, so that its internal $refs resolve. */
    private static final String DOCUMENT_ID = "https://clinic.example/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static volatile ApiContract instance;

    /** How much of an exchange is held to the document. */
    public enum Mode {
        /** The request and the response (journeys). */
        FULL,
        /** Only the response (drills that send garbage on purpose). */
        RESPONSES_ONLY
    }

    /** One operation of the document. */
    public record Operation(String method, String template, Pattern pattern, List<String> pathParams,
                            JsonNode node, String pointer, boolean implemented) {
        public String id() {
            return node.path("operationId").asText(method.toUpperCase(Locale.ROOT) + " " + template);
        }
    }

    /** One exchange as the client saw it. Header names in lower case. */
    public record Exchange(String method, URI uri, Map<String, List<String>> requestHeaders, byte[] requestBody,
                           int status, Map<String, List<String>> responseHeaders, String responseBody) {}

    private final JsonNode document;
    private final List<Operation> operations;
    private final JsonSchemaFactory schemas;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final ConcurrentMap<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> checked = new ConcurrentHashMap<>();

    private ApiContract(JsonNode document) {
        this.document = document;
        this.operations = operations(document);
        // networknt's email format insists on a registered top-level domain; the platform (and RFC 5321)
        // takes any domain, and the reserved example/test domains are what tests use.
        JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012()).format(new Format() {
            @Override
            public String getName() {
                return "email";
            }

            @Override
            public boolean matches(ExecutionContext context, String value) {
                return value.matches("[^@\\s]+@[^@\\s]+");
            }
        }).build();
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.metaSchema(dialect).schemaLoaders(l -> l.schemas(Map.of(DOCUMENT_ID, document.toString()))));
    }

    /** The repository's document ({@code clinic.root} is the repository, as for the platform). */
    public static ApiContract get() {
        ApiContract c = instance;
        if (c != null) return c;
        synchronized (ApiContract.class) {
            if (instance == null) {
                Path root = Path.of(System.getProperty("clinic.root", "..")).toAbsolutePath().normalize();
                instance = load(root.resolve("docs/api/openapi.yaml"));
            }
            return instance;
        }
    }

    public static ApiContract load(Path yaml) {
        try {
            return new ApiContract(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(yaml)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API description " + yaml, e);
        }
    }

    public JsonNode document() {
        return document;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The operations the platform does not serve yet (their traffic is not held to the document). */
    public List<String> notImplemented() {
        return operations.stream().filter(o -> !o.implemented()).map(Operation::id).toList();
    }

    /** Exchanges checked per operation so far (for reports). */
    public Map<String, Long> checkedCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        checked.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /**
     * Strict by default (the system-tests POM sets {@code clinic.apiContract=strict}): an exchange that
     * departs from the document fails the test that made it, naming every departure.
     * {@code -Dclinic.apiContract=report} only records departures (stderr and
     * {@code target/api-contract-drift.txt}), to see all of them in one run after a change.
     */
    public void assertConforms(Exchange e, Mode mode) {
        List<String> problems = check(e, mode);
        if (!problems.isEmpty()) {
            String message = "The exchange " + e.method() + " " + e.uri().getRawPath()
                    + (e.uri().getRawQuery() == null ? "" : "?" + e.uri().getRawQuery()) + " → " + e.status()
                    + " departs from docs/api/openapi.yaml:\n  - " + String.join("\n  - ", problems)
                    + "\n  response body: " + abbreviate(e.responseBody());
            if (!"report".equals(System.getProperty("clinic.apiContract", "strict"))) throw new AssertionError(message);
            recordDrift(message);
        }
    }

    private static synchronized void recordDrift(String message) {
        System.err.println("[api-contract] " + message);
        try {
            java.nio.file.Path out = java.nio.file.Path.of("target", "api-contract-drift.txt");
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, message + "\n\n", java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException ignored) {
            // The report is a convenience; stderr already has the departure.
        }
    }

    /** Every way the exchange departs from the document (empty when it conforms or is exempt). */
    public List<String> check(Exchange e, Mode mode) {
        List<String> problems = new ArrayList<>();
        String method = e.method().toLowerCase(Locale.ROOT);
        String path = e.uri().getRawPath() == null ? "" : e.uri().getRawPath();
        if (e.status() < 0 || !METHODS.contains(method)) return problems;
        if (!path.startsWith("/api/") && !path.startsWith("/.well-known/")) return problems; // web pages, actuator
        String responseType = mediaType(first(e.responseHeaders(), "content-type"));
        if ("text/event-stream".equals(responseType)) return problems;

        Optional<Operation> found = find(method, path);
        if (found.isEmpty()) {
            // Unknown to the document: the platform must not serve it, and says so with a problem.
            if (e.status() < 400) problems.add("no operation " + method.toUpperCase(Locale.ROOT) + " " + path
                    + " in the document, yet the platform answered " + e.status());
            else problemDocument(e, responseType, problems);
            return problems;
        }
        Operation op = found.get();
        checked.computeIfAbsent(op.id(), k -> new AtomicLong()).incrementAndGet();
        if (!op.implemented()) {
            if (e.status() >= 400) problemDocument(e, responseType, problems);
            return problems;
        }
        if (mode == Mode.FULL) {
            List<String> invalid = requestProblems(op, e, path);
            if (!invalid.isEmpty() && e.status() < 400) {
                problems.add("the platform accepted (" + e.status() + ") a request the document calls invalid: "
                        + String.join("; ", invalid));
            }
        }
        responseProblems(op, e, responseType, problems);
        if (first(e.responseHeaders(), "x-request-id") == null) problems.add("no X-Request-Id header");
        return problems;
    }

    /** The operation for a method and raw path: literal segments win over templated ones. */
    public Optional<Operation> find(String method, String rawPath) {
        String m = method.toLowerCase(Locale.ROOT);
        return operations.stream()
                .filter(o -> o.method().equals(m) && o.pattern().matcher(rawPath).matches())
                .findFirst();
    }

    // ---------------------------------------------------------------- requests

    /** Why the document calls the request invalid (empty when it does not). */
    public List<String> requestProblems(Operation op, Exchange e, String rawPath) {
        List<String> out = new ArrayList<>();
        Map<String, List<String>> query = query(e.uri().getRawQuery());
        Matcher pm = op.pattern().matcher(rawPath);
        Map<String, String> pathValues = new LinkedHashMap<>();
        if (pm.matches()) {
            for (int i = 0; i < op.pathParams().size(); i++) {
                pathValues.put(op.pathParams().get(i), URLDecoder.decode(pm.group(i + 1), StandardCharsets.UTF_8));
            }
        }
        JsonNode params = op.node().path("parameters");
        for (int i = 0; i < params.size(); i++) {
            JsonNode declared = params.get(i);
            JsonNode p = resolve(declared);
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            String value = switch (in) {
                case "query" -> query.containsKey(name) ? query.get(name).get(0) : null;
                case "path" -> pathValues.get(name);
                case "header" -> first(e.requestHeaders(), name.toLowerCase(Locale.ROOT));
                default -> null;
            };
            // An empty optional query parameter means "no filter" to the platform, as to most HTTP servers.
            if (value != null && value.isEmpty() && "query".equals(in) && !p.path("required").asBoolean(false)) continue;
            if (value == null) {
                if (p.path("required").asBoolean(false)) out.add(in + " parameter " + name + " is required");
                continue;
            }
            String pointer = pointerOf(declared, op.pointer() + "/parameters/" + i) + "/schema";
            JsonNode instance = coerce(value, resolveSchemaType(p.path("schema")));
            for (ValidationMessage v : validate(pointer, instance)) out.add(in + " parameter " + name + ": " + v.getMessage());
        }
        JsonNode body = op.node().path("requestBody");
        if (!body.isMissingNode()) {
            boolean required = resolve(body).path("required").asBoolean(false);
            byte[] raw = e.requestBody();
            if (raw == null || raw.length == 0) {
                if (required) out.add("the request body is required");
            } else {
                String type = mediaType(first(e.requestHeaders(), "content-type"));
                String bodyPointer = pointerOf(body, op.pointer() + "/requestBody");
                JsonNode content = resolve(body).path("content");
                if (type == null || !content.has(type)) {
                    out.add("request content type " + type + " is not one the operation takes");
                } else if (type.endsWith("json")) {
                    JsonNode instance;
                    try {
                        instance = JSON.readTree(raw);
                    } catch (IOException ex) {
                        instance = null;
                    }
                    if (instance == null) out.add("the request body is not JSON");
                    else for (ValidationMessage v : validate(bodyPointer + "/content/" + escape(type) + "/schema", instance)) {
                        out.add("request body: " + v.getMessage());
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- responses

    private void responseProblems(Operation op, Exchange e, String responseType, List<String> problems) {
        JsonNode responses = op.node().path("responses");
        String key = String.valueOf(e.status());
        if (!responses.has(key)) key = e.status() / 100 + "XX";
        if (!responses.has(key)) {
            problems.add("status " + e.status() + " is not a documented response of " + op.id()
                    + " (documented: " + fieldNames(responses) + ")");
            if (e.status() >= 400) problemDocument(e, responseType, problems);
            return;
        }
        JsonNode declared = responses.path(key);
        String pointer = pointerOf(declared, op.pointer() + "/responses/" + key);
        JsonNode content = resolve(declared).path("content");
        String body = e.responseBody();
        boolean hasBody = body != null && !body.isBlank();
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody && e.status() != 304) problems.add("a body where the document describes none");
            return;
        }
        if (!hasBody) {
            problems.add("no body where the document describes " + fieldNames(content));
            return;
        }
        if (responseType == null || !content.has(responseType)) {
            problems.add("content type " + responseType + " where the document describes " + fieldNames(content));
            return;
        }
        if (!responseType.endsWith("json")) return;
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException ex) {
            problems.add("the response body is not JSON");
            return;
        }
        for (ValidationMessage v : validate(pointer + "/content/" + escape(responseType) + "/schema", instance)) {
            problems.add("response body: " + v.getMessage());
        }
    }

    /** The rule for every non-2xx answer, documented or not: RFC 9457 with a stable code. */
    private void problemDocument(Exchange e, String responseType, List<String> problems) {
        if (!"application/problem+json".equals(responseType)) {
            problems.add("a " + e.status() + " answer that is not application/problem+json (" + responseType + ")");
            return;
        }
        try {
            JsonNode node = JSON.readTree(e.responseBody() == null ? "" : e.responseBody());
            for (ValidationMessage v : validate("#/components/schemas/Problem", node)) {
                problems.add("problem document: " + v.getMessage());
            }
        } catch (IOException ex) {
            problems.add("the problem document is not JSON");
        }
    }

    // ---------------------------------------------------------------- schemas

    public Set<ValidationMessage> validate(String pointer, JsonNode instance) {
        JsonSchema schema = compiled.computeIfAbsent(pointer,
                p -> schemas.getSchema(SchemaLocation.of(DOCUMENT_ID + p), config));
        return schema.validate(instance == null ? JsonNodeFactory.instance.nullNode() : instance);
    }

    /** A {@code $ref}'d object (parameter, response, request body) followed within the document. */
    public JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) n = document.at(n.path("$ref").asText().substring(1));
        return n;
    }

    private String pointerOf(JsonNode node, String inline) {
        String p = inline.startsWith("#") ? inline : "#" + inline;
        JsonNode n = node;
        for (int i = 0; i < 10 && n.has("$ref"); i++) {
            p = n.path("$ref").asText();
            n = document.at(p.substring(1));
        }
        return p;
    }

    private String resolveSchemaType(JsonNode schema) {
        JsonNode s = resolve(schema);
        JsonNode type = s.path("type");
        if (type.isTextual()) return type.asText();
        if (type.isArray() && !type.isEmpty()) return type.get(0).asText();
        return "string";
    }

    /** A parameter value as the JSON its schema expects; a value that does not parse stays a string (and fails). */
    private static JsonNode coerce(String value, String type) {
        try {
            return switch (type) {
                case "integer" -> JsonNodeFactory.instance.numberNode(Long.parseLong(value.trim()));
                case "number" -> JsonNodeFactory.instance.numberNode(Double.parseDouble(value.trim()));
                case "boolean" -> value.equals("true") || value.equals("false")
                        ? JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value))
                        : JsonNodeFactory.instance.textNode(value);
                default -> JsonNodeFactory.instance.textNode(value);
            };
        } catch (NumberFormatException e) {
            return JsonNodeFactory.instance.textNode(value);
        }
    }

    // ---------------------------------------------------------------- document parts

    private static List<Operation> operations(JsonNode document) {
        List<Operation> out = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            String template = path.getKey();
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(template.substring(last)));
            Pattern pattern = Pattern.compile(regex.toString());
            path.getValue().fields().forEachRemaining(op -> {
                if (!METHODS.contains(op.getKey())) return;
                boolean implemented = op.getValue().path("x-implemented").asBoolean(true);
                out.add(new Operation(op.getKey(), template, pattern, List.copyOf(names), op.getValue(),
                        "#/paths/" + escape(template) + "/" + op.getKey(), implemented));
            });
        });
        // Literal paths first: /api/offers/quote is not /api/offers/{id}.
        out.sort(Comparator.comparingInt((Operation o) -> o.pathParams().size())
                .thenComparing(Operation::template, Comparator.reverseOrder()));
        return List.copyOf(out);
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            Function<String, String> dec = s -> {
                try {
                    return URLDecoder.decode(s, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return s;
                }
            };
            String k = dec.apply(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : dec.apply(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> headers, String lowerName) {
        if (headers == null) return null;
        for (var h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(lowerName) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String abbreviate(String s) {
        if (s == null) return "(none)";
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 400 ? one.substring(0, 400) + "…" : one;
    }

    /** A request header map from name/value pairs as the helpers take them. */
    public static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) out.computeIfAbsent(pairs[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return out;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
