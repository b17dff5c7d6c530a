package io.fabricipam.controller;

import io.fabricipam.controller.start.EarlyDhcp;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The fabric-ipam service: {@code java -jar controller/target/fabric-ipam.jar} (or {@code scripts/fabric-ipam}).
 * DHCP starts first, as soon as the configuration is read ({@link EarlyDhcp}); the rest of the application
 * (REST, OpenFlow, storage, metrics) follows in the Spring context, which takes the DHCP core over.
 */
@SpringBootApplication(scanBasePackages = "io.fabricipam")
@ConfigurationPropertiesScan("io.fabricipam")
public class FabricIpamApplication {

    /** Boot's background pre-initialisation (Jackson, validation, charsets on a thread of its own). */
    static final String BACKGROUND_PREINITIALIZER_IGNORE = "spring.backgroundpreinitializer.ignore";

    public static void main(String[] args) {
        // Boot warms up what the web layer needs on a second thread while the configuration is read; on two cores
        // it competes with the DHCP start (measured: 0.18 s later and 0.4 s more CPU to the first answer). The
        // context does that work itself later. An explicit setting wins.
        if (System.getProperty(BACKGROUND_PREINITIALIZER_IGNORE) == null) {
            System.setProperty(BACKGROUND_PREINITIALIZER_IGNORE, "true");
        }
        SpringApplication application = new SpringApplication(FabricIpamApplication.class);
        application.addListeners(new EarlyDhcp());
        application.run(args);
    }
}
