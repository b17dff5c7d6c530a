package io.fabricipam.controller.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads counters out of the Prometheus text the service exposes at /actuator/prometheus. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** Sums the samples of {@code name} whose labels contain {@code label} (all samples when null). */
    static double sum(String prometheusText, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$").matcher(prometheusText);
        double sum = 0;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (label == null || labels.contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
