package io.fabricipam.controller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The fabric-ipam service: {@code java -jar controller/target/fabric-ipam.jar}. */
@SpringBootApplication(scanBasePackages = "io.fabricipam")
@ConfigurationPropertiesScan("io.fabricipam")
public class FabricIpamApplication {

    public static void main(String[] args) {
        SpringApplication.run(FabricIpamApplication.class, args);
    }
}
