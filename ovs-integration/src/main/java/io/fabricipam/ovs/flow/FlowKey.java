package io.fabricipam.ovs.flow;

/**
 * What identifies a flow inside a switch: table, priority and match. Adding a flow with the key of an
 * existing one replaces it; a strict delete removes exactly the flow with this key.
 */
public record FlowKey(int table, int priority, FlowMatch match) {
}
