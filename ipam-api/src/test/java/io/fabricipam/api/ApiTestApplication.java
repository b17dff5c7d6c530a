package io.fabricipam.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot configuration that slice and context tests of ipam-api start from. */
@SpringBootApplication
public class ApiTestApplication {
}
