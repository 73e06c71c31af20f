package clinic.devinfra;

import java.io.IOException;

/** Ends this process when the parent that spawned it goes away (stdin reaches EOF). */
final class ParentWatch {
    private ParentWatch() {}

    static void exitWhenStdinCloses() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // keep reading until EOF
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone, same as EOF
            }
            System.exit(0);
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
