package io.fabricipam.api.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.annotation.Configuration;

/** What the OpenAPI document at {@code /v3/api-docs} (UI: {@code /swagger-ui.html}) says about the API as a whole. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "fabric-ipam", version = "v1", description = """
        IPAM for VM networks: scopes (network, gateway, VLAN, pools, exclusions, options), reservations (MAC ->
        address, or the next free address at once), the live lease table with its history, utilization and
        lease events. Changes are used by the DHCP server at the next exchange. Errors are RFC 9457 problem
        details (application/problem+json) with a stable 'type' URI, the request in 'instance' and the fields
        at fault in 'errors'. Reads need a reader or admin bearer token, writes an admin token."""),
        tags = {@Tag(name = "scopes"), @Tag(name = "reservations"), @Tag(name = "leases")})
public class ApiDocumentation {
}
