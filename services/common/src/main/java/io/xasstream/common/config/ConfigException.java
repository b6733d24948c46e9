package io.xasstream.common.config;

/** A configuration that cannot be used; the message says which setting and why. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
