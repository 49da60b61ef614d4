package learngraph.testenv;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded in this JVM and serves it over Bolt on the
 * loopback interface, for tests and local development.
 *
 * <pre>
 * java [JVM options] -cp launcher.jar:NEO4J-JARS learngraph.testenv.Launcher \
 *     --home DIR --port N [--password PW | --password-file FILE] [--pagecache-mb N]
 * </pre>
 *
 * <p>Standard output carries exactly one line that scripts wait for,
 * {@code NEO4J READY bolt://127.0.0.1:N}, once the default database answers a
 * transaction, and {@code NEO4J STOPPED} after a clean shutdown on SIGTERM or
 * SIGINT. Everything else (progress, failures) goes to standard error.
 *
 * <p>Without {@code --password} authentication is off, as embedded Neo4j has
 * it by default. With it (or {@code --password-file}, which keeps the password
 * out of the process list), authentication is on and the {@code neo4j} user's
 * password is set to PW on every start, so an existing data directory never
 * keeps a password nobody knows.
 *
 * <p>Exit status: 0 after a clean stop, 1 when Neo4j cannot start, 2 on bad
 * usage.
 */
public final class Launcher {
    private static final String USAGE =
            "usage: Launcher --home DIR --port N [--password PW | --password-file FILE] [--pagecache-mb N]";

    /** How long the default database may take to come up after the DBMS has started. */
    private static final long AVAILABLE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(2);

    private Launcher() {}

    /** The command line, validated. */
    private record Options(Path home, int port, String password, long pageCacheMiB) {
        static Options parse(String[] args) {
            Path home = null;
            int port = 0;
            String password = null;
            long pageCacheMiB = 256;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("-h") || flag.equals("--help")) {
                    throw new UsageException(null);
                }
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--home" -> home = Path.of(value).toAbsolutePath();
                    case "--port" -> port = parseInt(flag, value, 1, 65535);
                    case "--password" -> password = checkPassword(flag, value);
                    case "--password-file" -> password = checkPassword(flag, readPasswordFile(value));
                    case "--pagecache-mb" -> pageCacheMiB = parseInt(flag, value, 8, 1 << 20);
                    default -> throw new UsageException("unknown flag " + flag);
                }
            }
            if (home == null) {
                throw new UsageException("--home is required");
            }
            if (port == 0) {
                throw new UsageException("--port is required");
            }
            return new Options(home, port, password, pageCacheMiB);
        }

        private static String checkPassword(String flag, String password) {
            // Neo4j 5 refuses passwords shorter than 8 characters.
            if (password.length() < 8) {
                throw new UsageException(flag + ": the password must be at least 8 characters");
            }
            return password;
        }

        /** The first line of the file: a password kept out of the process list. */
        private static String readPasswordFile(String file) {
            try {
                return Files.readAllLines(Path.of(file)).stream().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new UsageException("--password-file: cannot read " + file + ": " + e.getMessage());
            }
        }

        private static int parseInt(String flag, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new UsageException(flag + " must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " must be a number, not " + value);
            }
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("neo4j-launcher: " + e.getMessage());
            }
            System.err.println(USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        try {
            run(opts);
        } catch (Throwable t) {
            System.err.println("neo4j-launcher: Neo4j did not start: " + t);
            t.printStackTrace(System.err);
            // exit runs the shutdown hook, if it was registered, so a DBMS
            // that started but failed later still shuts down cleanly.
            System.exit(1);
        }
    }

    private static void run(Options opts) throws IOException, InterruptedException {
        Files.createDirectories(opts.home());
        SocketAddress bolt = new SocketAddress("127.0.0.1", opts.port());
        String uri = "bolt://127.0.0.1:" + opts.port();
        System.err.printf("neo4j-launcher: starting Neo4j in %s on %s (auth %s, page cache %d MiB)%n",
                opts.home(), uri, opts.password() == null ? "off" : "on", opts.pageCacheMiB());

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(opts.home())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, opts.password() != null)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(opts.pageCacheMiB()))
                // A test database is small and short-lived: do not reserve disk
                // for transaction logs and store files up front.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                // Bolt waits 5 s for idle connections and worker threads on
                // shutdown by default; nothing is in flight when tests stop it.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        PrintStream out = System.out;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j-launcher: stopping Neo4j");
            try {
                dbms.shutdown();
                out.println("NEO4J STOPPED");
            } catch (RuntimeException e) {
                System.err.println("neo4j-launcher: shutdown failed: " + e);
            }
            out.flush();
            stopped.countDown();
        }, "neo4j-launcher-shutdown"));

        if (opts.password() != null) {
            setPassword(dbms, opts.password());
        }

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(AVAILABLE_TIMEOUT_MS)) {
            throw new IllegalStateException("database " + db.databaseName() + " is not available after "
                    + AVAILABLE_TIMEOUT_MS / 1000 + " s");
        }
        // isAvailable says the database accepts transactions; one trivial
        // transaction proves it before anyone is told it is ready.
        db.executeTransactionally("RETURN 1");

        out.println("NEO4J READY " + uri);
        out.flush();
        // Runs until a signal starts the JVM's shutdown, which runs the hook.
        stopped.await();
    }

    /**
     * Turns authentication on for the built-in {@code neo4j} user with the
     * given password. Embedded transactions bypass authentication, so this
     * works whatever password an existing data directory holds.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has,
            // which is what a restart of the same instance asks for.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            System.err.println("neo4j-launcher: the neo4j user already has this password");
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }
}
