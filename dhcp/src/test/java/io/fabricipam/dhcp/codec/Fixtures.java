package io.fabricipam.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The DHCP messages in {@code src/test/resources/fixtures}, captured from real clients and dnsmasq by
 * {@code scripts/capture-dhcp-fixtures}: a '#' line naming who sent it and how, then the UDP payload in hex.
 */
final class Fixtures {

    private static final String DIRECTORY = "/fixtures/";

    private Fixtures() {
    }

    static byte[] load(String name) {
        String text = read(name);
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                hex.append(line.strip());
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    static String header(String name) {
        return read(name).lines().filter(l -> l.startsWith("#")).findFirst().orElseThrow();
    }

    /** Every fixture's name (the file name without {@code .hex}), sorted. */
    static List<String> all() {
        URL dir = Fixtures.class.getResource(DIRECTORY);
        if (dir == null) {
            throw new IllegalStateException("no " + DIRECTORY + " on the test class path");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".hex"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages clients sent (not dnsmasq's replies). */
    static List<String> clientMessages() {
        return all().stream().filter(n -> !n.startsWith("dnsmasq-")).toList();
    }

    private static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(DIRECTORY + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
