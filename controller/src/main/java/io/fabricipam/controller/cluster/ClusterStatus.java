package io.fabricipam.controller.cluster;

/** Where the REST API and the health component read the cluster's state from. */
public interface ClusterStatus {

    ClusterView view();
}
