package io.fabricipam.api.web;

import io.fabricipam.api.problem.ApiException;
import io.fabricipam.dhcp.net.Ipv4Address;
import io.fabricipam.dhcp.net.MacAddress;
import java.util.UUID;
import java.util.function.Function;

/** Parses path and query parameters, answering a 400 problem that names the parameter. */
public final class Parameters {

    private Parameters() {
    }

    public static UUID uuid(String name, String value) {
        return parse(name, value, UUID::fromString, "a UUID");
    }

    public static Ipv4Address address(String name, String value) {
        return parse(name, value, Ipv4Address::parse, "an IPv4 address");
    }

    public static MacAddress mac(String name, String value) {
        return parse(name, value, MacAddress::parse, "a MAC address");
    }

    public static <T> T parse(String name, String value, Function<String, T> parser, String what) {
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.malformed(name, "'" + value + "' is not " + what);
        }
    }
}
