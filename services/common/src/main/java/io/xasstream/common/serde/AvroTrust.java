package io.xasstream.common.serde;

import org.apache.avro.util.ClassSecurityValidator;

/** Avro 1.12 refuses to instantiate classes it does not trust: trust our generated schema package, once. */
public final class AvroTrust {
    private static volatile boolean installed;

    private AvroTrust() {
    }

    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        type -> type.getName().startsWith("io.xasstream.schema.")));
                installed = true;
            }
        }
    }
}
