package dev.sluice.devstack.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * The launcher's own logback.xml, loaded into a logger context of the test's: what reaches the terminal and what
 * platform.log holds.
 */
class ErrantRecordThrowableConverterTest {

    private static final String RECORD = "{\"email\":\"someone@example.com\"}";
    private static final String REPORTER_MESSAGE = "Error encountered in task bronze-lake-0. Executing stage"
            + " 'VALUE_CONVERTER' with class 'io.apicurio.registry.utils.converter.AvroConverter', where consumed"
            + " record is {topic='bronze.user_events', partition=1, offset=42, timestamp=1764669600000,"
            + " timestampType=CreateTime}.";

    @TempDir
    Path logDir;

    @Test
    void theTerminalShowsOnlyItsOwnLinesAndAnErrantRecordIsOneLineInPlatformLog() throws Exception {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream out = System.out;
        LoggerContext context = new LoggerContext();
        System.setOut(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        try {
            configure(context);
            context.getLogger(ErrantRecordThrowableConverter.ERRANT_RECORD_LOGGER).error(REPORTER_MESSAGE,
                    badRecord());
            context.getLogger(ErrantRecordThrowableConverter.SCHEMA_CACHE_LOGGER).error(
                    "Failed to update cache value for key: 987654321", new IllegalStateException("no content",
                            new IllegalArgumentException("No content with id/hash 'contentId-987654321'")));
            Logger worker = context.getLogger("org.apache.kafka.connect.runtime.WorkerSinkTask");
            worker.error("Task threw an uncaught exception", badRecord());
            worker.warn("a warning");
            context.getLogger("dev.sluice.devstack.Devstack").info("an info line of the launcher");
            context.getLogger(Terminal.LOGGER).info("status | in/s bronze 25.0");
            context.getLogger(Terminal.LOGGER).warn("s3 (pid 7) died", badRecord());
        } finally {
            context.stop();
            System.setOut(out);
        }

        List<String> console = terminal.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, console.size(), "the terminal: " + console);
        assertTrue(console.get(0).matches("\\d\\d:\\d\\d:\\d\\d status \\| in/s bronze 25.0"), console.get(0));
        assertTrue(console.get(1).matches("\\d\\d:\\d\\d:\\d\\d s3 \\(pid 7\\) died"), "no trace: " + console);

        List<String> log = Files.readAllLines(logDir.resolve("platform.log"));
        String reporter = log.stream().filter(line -> line.contains("Error encountered in task")).findFirst()
                .orElseThrow();
        assertTrue(reporter.contains(" ERROR "), reporter);
        assertFalse(reporter.contains("someone@example.com"), "no record content: " + reporter);
        assertTrue(reporter.endsWith("timestampType=CreateTime}. [org.apache.kafka.connect.errors.DataException,"
                + " root cause java.lang.IllegalArgumentException]"), reporter);
        String schemaCache = log.get(log.indexOf(reporter) + 1);
        assertTrue(schemaCache.contains(" ERROR ") && schemaCache.contains("ERCache"), "the next line is the next"
                + " event: " + schemaCache);
        assertTrue(schemaCache.endsWith(" - Failed to update cache value for key: 987654321"
                + " [java.lang.IllegalStateException, root cause java.lang.IllegalArgumentException]"), schemaCache);
        int after = log.indexOf(reporter) + 2;
        assertTrue(log.get(after).contains("Task threw an uncaught exception"), "next line is the next event: "
                + log.get(after));
        assertTrue(log.get(after + 1).startsWith("org.apache.kafka.connect.errors.DataException: cannot convert"),
                "other errors keep their trace below: " + log.get(after + 1));
        assertTrue(log.get(after + 2).startsWith("\tat "), log.get(after + 2));
        assertTrue(log.stream().anyMatch(line -> line.endsWith(" - a warning")), "warnings in the file");
        assertTrue(log.stream().anyMatch(line -> line.endsWith(" - an info line of the launcher")), "info too");
        assertTrue(log.stream().anyMatch(line -> line.endsWith(" - status | in/s bronze 25.0")),
                "terminal lines are kept in the file as well");
        assertFalse(log.stream().anyMatch(String::isEmpty), "no blank lines");
    }

    private void configure(LoggerContext context) throws JoranException, IOException {
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("sluice.log.dir", logDir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
    }

    private static Exception badRecord() {
        return new org.apache.kafka.connect.errors.DataException("cannot convert",
                new IllegalArgumentException("bad bytes " + RECORD));
    }
}
