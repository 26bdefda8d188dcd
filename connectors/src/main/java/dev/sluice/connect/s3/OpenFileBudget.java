package dev.sluice.connect.s3;

/** Caps the files open across a task's partition writers. */
interface OpenFileBudget {

    /**
     * Called before {@code requester} opens a file. If the task is at its limit, rotates the writer
     * holding the oldest open file, which may be {@code requester} itself.
     */
    void makeRoom(TopicPartitionWriter requester);

    /** A task-wide increasing number that orders files by opening time. */
    long nextSequence();
}
