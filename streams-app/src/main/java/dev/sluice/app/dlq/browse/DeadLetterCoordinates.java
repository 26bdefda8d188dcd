package dev.sluice.app.dlq.browse;

/**
 * Where a dead letter is: its dead-letter topic, partition and offset, written {@code <topic>/<partition>/<offset>}.
 * It names a dead letter for good (offsets are never reused), so a redrive is recorded and recognised by it.
 */
public record DeadLetterCoordinates(String topic, int partition, long offset) {

    /** Parses {@code <topic>/<partition>/<offset>}; topic names have no slash. */
    public static DeadLetterCoordinates parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("dead-letter coordinates are <topic>/<partition>/<offset>, not '"
                    + text + "'");
        }
        try {
            int partition = Integer.parseInt(parts[1]);
            long offset = Long.parseLong(parts[2]);
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException("partition and offset of '" + text + "' must not be negative");
            }
            return new DeadLetterCoordinates(parts[0], partition, offset);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partition and offset of '" + text + "' must be numbers");
        }
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
