package io.fabricipam.api.scope;

/** A DHCP option by code: {@code {"code": 252, "type": "string", "value": "http://wpad/wpad.dat"}}. */
public record CustomOptionSpec(Integer code, String type, String value) {
}
