package dev.sluice.app.aggregate;

/** Epoch-aligned tumbling windows, as Kafka Streams' {@code TimeWindows} lay them out. */
public final class Windows {

    private Windows() {
    }

    /** Start of the window of {@code sizeMs} that holds {@code time}. */
    public static long start(long time, long sizeMs) {
        return Math.floorDiv(time, sizeMs) * sizeMs;
    }
}
