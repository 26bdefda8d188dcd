package dev.sluice.devstack.terminal;

import java.util.Map;

/** What the lake's sinks wrote between two status lines, per layer (bronze, silver, gold). */
public interface LakeWrites {

    /** The files written since the previous call, per layer; layers with none are left out. */
    Map<String, Integer> writtenSinceLastCall();
}
