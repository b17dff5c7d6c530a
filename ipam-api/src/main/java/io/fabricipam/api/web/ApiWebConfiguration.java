package io.fabricipam.api.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabricipam.api.security.ApiProperties;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * JSON as the API reads it, for every body (scopes, reservations, tokens, storage) and merge patch:
 * <ul>
 *   <li>an unknown field is an error naming the field, not silently ignored (a typo such as "dnsServer" must
 *       not leave a scope without DNS servers while answering 201);</li>
 *   <li>no scalar coercion: a string is not a number ({@code "leaseTime": "3600"}), a fraction is not an integer
 *       ({@code 3600.7}), a number or boolean is not a string ({@code "portal": 3260}), a number is not a boolean
 *       or an enum, null is not a primitive, "" is not a number; each is 422 naming the field;</li>
 *   <li>nothing may follow the JSON value;</li>
 *   <li>bodies are at most {@code fabric.api.max-request-size} ({@link RequestSizeLimitFilter}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class ApiWebConfiguration implements WebMvcConfigurer {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .postConfigurer(ApiWebConfiguration::noCoercions);
    }

    /** Jackson's coercion table: what the features above do not cover (numbers and booleans into strings). */
    static void noCoercions(ObjectMapper mapper) {
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Textual, LogicalType.Enum}) {
            for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString}) {
                if (!natural(type, shape)) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
    }

    /** The input shapes that are a type's own JSON form, not a coercion. */
    private static boolean natural(LogicalType type, CoercionInputShape shape) {
        return switch (type) {
            case Integer -> shape == CoercionInputShape.Integer;
            case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
            case Boolean -> shape == CoercionInputShape.Boolean;
            case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
            case Enum -> shape == CoercionInputShape.String;
            default -> false;
        };
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(ApiProperties properties, ObjectMapper json) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), json));
        // after audit and security, neither of which reads the body: a refused upload is audited, and one
        // without a token is a 401 like any other request
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
