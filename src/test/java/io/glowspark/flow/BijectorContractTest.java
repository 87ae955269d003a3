package io.glowspark.flow;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

/** Every bijector against the shared contract: inverse, log-det against the Jacobian, gradients. */
class BijectorContractTest {

    private static final GlowSpec.Conditioner PLAIN = GlowSpec.Conditioner.PLAIN;
    private static final GlowSpec.Conditioner GLOW = GlowSpec.Conditioner.GLOW;

    static Stream<Arguments> bijectors() {
        return Stream.of(
                bijector("ActNorm", () -> new ActNorm("a", 4)),
                bijector("LU 1x1 conv", () -> new LuConv1x1("m", 4)),
                bijector("plain 1x1 conv", () -> new InvertibleConv1x1("m", 4)),
                bijector("channel reversal", ChannelReversal::new),
                bijector("affine coupling", () -> new AffineCoupling("c", 4, 3, PLAIN)),
                bijector("affine coupling, Glow's conditioner", () -> new AffineCoupling("c", 4, 3, GLOW)),
                bijector("additive coupling", () -> new AdditiveCoupling("c", 4, 3, PLAIN)),
                bijector("additive coupling, Glow's conditioner", () -> new AdditiveCoupling("c", 4, 3, GLOW)),
                bijector("squeeze", Squeeze::new),
                bijector("flow step", () -> Chain.of(new ActNorm("a", 4), new LuConv1x1("m", 4), new AffineCoupling("c", 4, 3, GLOW))));
    }

    private static Arguments bijector(String name, Supplier<Bijector> factory) {
        return Arguments.of(Named.of(name, factory));
    }

    private static Bijector prepared(Supplier<Bijector> factory, Tensor data) {
        Bijector b = factory.get();
        BijectorContract.prepare(b, data, 11);
        return b;
    }

    @ParameterizedTest
    @MethodSource("bijectors")
    void inverseUndoesForward(Supplier<Bijector> factory) {
        Tensor x = BijectorContract.randomInput(1, 3, 4, 4, 4);
        Bijector b = prepared(factory, x);
        BijectorContract.assertInverse(b, x, 1e-10);
    }

    @ParameterizedTest
    @MethodSource("bijectors")
    void logDetEqualsLogAbsDetOfJacobian(Supplier<Bijector> factory) {
        Tensor x = BijectorContract.randomInput(2, 1, 4, 2, 2);
        Bijector b = prepared(factory, BijectorContract.randomInput(3, 5, 4, 2, 2));
        BijectorContract.assertLogDetMatchesJacobian(b, x);
    }

    @ParameterizedTest
    @MethodSource("bijectors")
    void backwardEqualsFiniteDifferences(Supplier<Bijector> factory) {
        Tensor x = BijectorContract.randomInput(4, 2, 4, 4, 4);
        Bijector b = factory.get();
        ParameterLayout layout = BijectorContract.prepare(b, x, 12);
        BijectorContract.assertGradients(b, layout, x);
    }
}
