package clinic.devinfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server that accepts every message and keeps the newest {@code keep} of them, plus a
 * small read API: {@code GET /messages[?to=addr]} lists captured mail as JSON, {@code DELETE
 * /messages} clears it.
 */
public final class MailCatcher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A development inbox, not an archive (Mailpit keeps 500 by default). Everything in it is on the
     * heap, in one mailbox per recipient address; after a benchmark (5,000-odd mails, each to its own
     * address) this process used 190 MiB, against 70 idle. 2,000 is more than any one scenario or
     * test waits for.
     */
    static final int DEFAULT_KEEP = 2000;
    private static final long TRIM_EVERY_SECONDS = 2;
    private final GreenMail greenMail;
    private final HttpServer http;
    private final int keep;
    private final ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mail-trim");
        t.setDaemon(true);
        return t;
    });

    public MailCatcher(int smtpPort, int apiPort) throws IOException {
        this(smtpPort, apiPort, DEFAULT_KEEP, TRIM_EVERY_SECONDS);
    }

    /** Trims every {@code trimSeconds}; a test that trims by itself passes a long period. */
    MailCatcher(int smtpPort, int apiPort, int keep, long trimSeconds) throws IOException {
        if (keep < 1) throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        this.keep = keep;
        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", apiPort), 0);
        http.createContext("/messages", this::handle);
        http.createContext("/health", ex -> respond(ex, 200, "{\"status\":\"UP\"}"));
        http.start();
        trimmer.scheduleWithFixedDelay(this::trimQuietly, trimSeconds, trimSeconds, TimeUnit.SECONDS);
    }

    /**
     * Deletes the oldest messages beyond {@code keep}, and the mailboxes they leave empty (GreenMail
     * makes one per recipient address). Returns how many messages it deleted.
     */
    synchronized int trim() throws FolderException {
        ImapHostManager imap = greenMail.getManagers().getImapHostManager();
        UserManager users = greenMail.getUserManager();
        // Counted first: every two seconds, and nearly always under the bound.
        int held = 0;
        for (GreenMailUser user : users.listUser()) held += imap.getInbox(user).getMessageCount();
        int excess = held - keep;
        if (excess <= 0) return 0;
        record Held(GreenMailUser user, MailFolder inbox, StoredMessage message) {}
        List<Held> all = new ArrayList<>();
        for (GreenMailUser user : users.listUser()) {
            MailFolder inbox = imap.getInbox(user);
            for (StoredMessage m : inbox.getMessages()) all.add(new Held(user, inbox, m));
        }
        all.sort(Comparator.comparing((Held h) -> h.message().getReceivedDate()).thenComparing(h -> h.message().getUid()));
        Map<MailFolder, GreenMailUser> touched = new LinkedHashMap<>();
        for (Held h : all.subList(0, excess)) {
            h.message().setFlag(Flags.Flag.DELETED, true);
            touched.put(h.inbox(), h.user());
        }
        for (var e : touched.entrySet()) {
            e.getKey().expunge();
            if (e.getKey().getMessageCount() == 0) users.deleteUser(e.getValue());
        }
        return excess;
    }

    private void trimQuietly() {
        try {
            int deleted = trim();
            if (deleted > 0) System.out.println("smtp: kept the newest " + keep + " messages, deleted " + deleted + " older");
        } catch (Exception e) {
            // A failed trim keeps mail longer; it must not stop the next one.
            System.err.println("smtp: trimming old mail failed: " + e);
        }
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    // Synchronized with trim(): a listing never meets a message being deleted.
    private synchronized void handle(HttpExchange ex) throws IOException {
        try {
            if ("DELETE".equals(ex.getRequestMethod())) {
                // Whole mailboxes, their messages with them: GreenMail makes one per recipient
                // address, and purging only the messages left thousands of empty ones on the heap.
                UserManager users = greenMail.getUserManager();
                for (GreenMailUser user : List.copyOf(users.listUser())) users.deleteUser(user);
                respond(ex, 200, "{\"deleted\":true}");
                return;
            }
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String to = query.get("to");
            // summary=true leaves the parts out: a load test polling thousands of messages needs
            // only who got what when, not every body and attachment.
            boolean summary = "true".equals(query.get("summary"));
            List<Map<String, Object>> out = new ArrayList<>();
            for (MimeMessage m : greenMail.getReceivedMessages()) {
                Map<String, Object> row = summary ? summarise(m) : describe(m);
                if (to == null || ((List<?>) row.get("to")).contains(to)) out.add(row);
            }
            respond(ex, 200, JSON.writeValueAsString(out));
        } catch (Exception | OutOfMemoryError e) {
            respond(ex, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    static Map<String, Object> summarise(MimeMessage m) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("messageId", m.getMessageID());
        row.put("from", addresses(m.getFrom()));
        row.put("to", addresses(m.getRecipients(Message.RecipientType.TO)));
        row.put("subject", m.getSubject());
        row.put("receivedAt", m.getReceivedDate() == null ? null : m.getReceivedDate().toInstant().toString());
        return row;
    }

    static Map<String, Object> describe(MimeMessage m) throws Exception {
        Map<String, Object> row = summarise(m);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : List.of("List-Unsubscribe", "List-Unsubscribe-Post", "X-Clinic-Notification-Id", "X-Clinic-Template")) {
            String[] v = m.getHeader(h);
            if (v != null) headers.put(h, v[0]);
        }
        row.put("headers", headers);
        List<Map<String, String>> parts = new ArrayList<>();
        collectParts(m, parts);
        row.put("parts", parts);
        return row;
    }

    private static void collectParts(Part part, List<Map<String, String>> parts) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart bp = mp.getBodyPart(i);
                collectParts(bp, parts);
            }
            return;
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("contentType", part.getContentType());
        if (part.getFileName() != null) p.put("fileName", part.getFileName());
        p.put("content", content instanceof String s ? s : GreenMailUtil.getBody(part));
        parts.add(p);
    }

    private static List<String> addresses(Address[] addresses) {
        if (addresses == null) return List.of();
        return Arrays.stream(addresses).map(a -> a.toString().replaceAll(".*<(.*)>.*", "$1")).toList();
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (var os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        trimmer.shutdownNow();
        http.stop(0);
        greenMail.stop();
    }

    /**
     * One line for a client that went away, a stack trace for anything else. GreenMail lets a
     * connection's thread die with "Unexpected error handling connection" when a client drops it, and
     * every service dropping its pooled SMTP connections at stop printed one trace each: about 300
     * lines per local run, hiding anything that mattered.
     */
    static String describeUncaught(Thread thread, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketException || c instanceof java.io.EOFException) {
                return "smtp: a client closed its connection without QUIT (" + thread.getName() + ": " + c.getMessage() + ")";
            }
        }
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        return "smtp: " + thread.getName() + " failed: " + trace;
    }

    static void runInThisProcess(int smtpPort, int apiPort, int keep) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> System.err.println(describeUncaught(t, e)));
        MailCatcher catcher = new MailCatcher(smtpPort, apiPort, keep, TRIM_EVERY_SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(catcher::close));
        System.out.println("smtp: accepting mail on 127.0.0.1:" + smtpPort
                + ", read it at http://127.0.0.1:" + apiPort + "/messages (the newest " + keep + " are kept)");
        Thread.currentThread().join();
    }
}
