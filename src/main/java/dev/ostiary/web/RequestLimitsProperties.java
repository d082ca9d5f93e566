package dev.ostiary.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of a request Ostiary reads ({@code ostiary.limits.*}).
 *
 * @param maxRequestBody the largest request body of any endpoint (JSON, forms, anything else)
 * @param maxJsonStringLength the longest string inside a JSON body
 * @param maxJsonTokens the most JSON tokens (names, values, brackets) in one body
 * @param maxJsonNesting the deepest nesting of JSON objects and arrays
 */
@ConfigurationProperties("ostiary.limits")
public record RequestLimitsProperties(@DefaultValue("64KB") DataSize maxRequestBody,
        @DefaultValue("20000") int maxJsonStringLength, @DefaultValue("20000") int maxJsonTokens,
        @DefaultValue("16") int maxJsonNesting) {
}
