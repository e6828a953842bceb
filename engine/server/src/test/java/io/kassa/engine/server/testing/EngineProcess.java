package io.kassa.engine.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine as it ships — {@code target/kassa-engine.jar} — started as a process of its own,
 * its output kept for assertions and failure messages. For integration tests (*IT), which run
 * after the jar is packaged.
 */
public final class EngineProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private EngineProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readLines, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the packaged engine with {@code environment} added to this JVM's. */
    public static EngineProcess start(String name, Map<String, String> environment)
            throws IOException {
        Path jar = Path.of("target", "kassa-engine.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar.toAbsolutePath() + ": run after package");
        }
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx384m", "-jar",
                jar.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new EngineProcess(name, builder.start());
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Waits until a line containing {@code text} was printed; fails if the process exits. */
    public void awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (output().stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + String.join("\n", output()));
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " printed no '" + text + "' within " + seconds + " s:\n"
                + String.join("\n", output()));
    }

    /** kill -9: no shutdown hook, no drain, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the drain; true when the process ended in time. */
    public boolean stop(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ended) {
            // The process is gone; what it printed is in the list.
        }
    }

    public static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
