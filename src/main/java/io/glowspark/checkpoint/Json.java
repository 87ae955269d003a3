package io.glowspark.checkpoint;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The one JSON mapper of this package: plain data only, never polymorphic types, so reading JSON runs no code. Every
 * field must be present. A number that is not finite (an unknown value, NaN) is written as null and read back as NaN.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .registerModule(new SimpleModule("non-finite numbers as null")
                    .addSerializer(Double.TYPE, new NonFiniteAsNull())
                    .addSerializer(Double.class, new NonFiniteAsNull())
                    .addDeserializer(Double.TYPE, new NullAsNaN()));

    private Json() {
    }

    static byte[] write(Object value) throws IOException {
        return MAPPER.writeValueAsBytes(value);
    }

    static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    private static final class NonFiniteAsNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    }

    private static final class NullAsNaN extends JsonDeserializer<Double> {
        private final JsonDeserializer<?> plain = NumberDeserializers.find(Double.TYPE, Double.TYPE.getName());

        @Override
        public Double deserialize(JsonParser in, DeserializationContext context) throws IOException {
            return (Double) plain.deserialize(in, context);
        }

        @Override
        public Double getNullValue(DeserializationContext context) {
            return Double.NaN;
        }
    }
}
