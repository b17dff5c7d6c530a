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

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(FabricIpamApplication.class);
        application.addListeners(new EarlyDhcp());
        application.run(args);
    }
}
