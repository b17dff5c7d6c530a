package io.fabricipam.fabric.cluster;

/** Whether a host of the fabric is present in ZooKeeper. */
public enum HostState {
    /** Its membership node exists: its ZooKeeper session is alive. */
    UP,
    /** Its node vanished (crash, partition longer than the session timeout, or shutdown) since the time noted. */
    LOST
}
