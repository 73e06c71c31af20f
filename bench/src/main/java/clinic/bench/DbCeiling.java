package clinic.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's ceiling for the platform's core write: one transaction inserting a booking row
 * (with the same exclusion constraint) and an outbox row, straight over JDBC, no services between.
 */
final class DbCeiling {
    private final String host;
    private final int port;

    DbCeiling(String host, int port) {
        this.host = host;
        this.port = port;
    }

    private Connection connect(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, "postgres", "postgres");
    }

    void prepare() throws SQLException {
        try (Connection c = connect("postgres")) {
            var rs = c.createStatement().executeQuery("select 1 from pg_database where datname = 'bench_ceiling'");
            if (!rs.next()) c.createStatement().execute("create database bench_ceiling");
        }
        try (Connection c = connect("bench_ceiling")) {
            c.createStatement().execute("create extension if not exists btree_gist");
            c.createStatement().execute("drop table if exists ceiling_booking, ceiling_outbox");
            c.createStatement().execute("""
                    create table ceiling_booking (
                      id bigserial primary key, therapist_id text not null, starts_at timestamptz not null,
                      blocked_until timestamptz not null, status text not null, payload text not null,
                      exclude using gist (therapist_id with =, tstzrange(starts_at, blocked_until) with &&)
                        where (status = 'CONFIRMED'))""");
            c.createStatement().execute("""
                    create table ceiling_outbox (id bigserial primary key, event_id uuid not null unique,
                      topic text not null, event_key text not null, payload text not null,
                      created_at timestamptz not null default now(), published_at timestamptz)""");
        }
    }

    /** Transactions per second with {@code connections} writers for {@code duration}. */
    double run(int connections, Duration duration) throws Exception {
        AtomicLong commits = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int t = 0; t < connections; t++) {
            final int writer = t;
            Thread th = new Thread(() -> {
                try (Connection c = connect("bench_ceiling")) {
                    c.setAutoCommit(false);
                    PreparedStatement booking = c.prepareStatement("insert into ceiling_booking "
                            + "(therapist_id, starts_at, blocked_until, status, payload) values (?, "
                            + "timestamptz '2030-01-01' + make_interval(mins => ? * 45), "
                            + "timestamptz '2030-01-01' + make_interval(mins => ? * 45 + 45), 'CONFIRMED', ?)");
                    PreparedStatement outbox = c.prepareStatement("insert into ceiling_outbox "
                            + "(event_id, topic, event_key, payload) values (gen_random_uuid(), 'booking.events', ?, ?)");
                    String payload = "{\"reference\":\"BK-XXXXXX\",\"locationId\":\"sheffield\",\"treatmentId\":"
                            + "\"sports-massage-30\",\"pricePence\":3500,\"customer\":{\"name\":\"Bench\"}}";
                    int i = 0;
                    while (System.nanoTime() < end) {
                        booking.setString(1, run + "-" + writer);
                        booking.setInt(2, i);
                        booking.setInt(3, i);
                        booking.setString(4, payload);
                        booking.executeUpdate();
                        outbox.setString(1, run + "-" + writer + "-" + i);
                        outbox.setString(2, payload);
                        outbox.executeUpdate();
                        c.commit();
                        commits.incrementAndGet();
                        i++;
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        if (!errors.isEmpty()) throw errors.get(0);
        return commits.get() / (duration.toNanos() / 1e9);
    }
}
