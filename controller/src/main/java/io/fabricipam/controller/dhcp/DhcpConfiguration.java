package io.fabricipam.controller.dhcp;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans shared by the DHCP core's users. The core itself ({@link DhcpCore}: journal, registry, server,
 * workers) is composed in {@code io.fabricipam.controller.start.DhcpCoreConfiguration}, early or in the
 * context; {@link DhcpLifecycle} starts and stops it in order.
 */
@Configuration(proxyBeanMethods = false)
public class DhcpConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
