package io.glowspark.layer;

import io.glowspark.flow.ActNorm;
import io.glowspark.flow.AdditiveCoupling;
import io.glowspark.flow.AffineCoupling;
import io.glowspark.flow.Bijector;
import io.glowspark.flow.DensityModel;
import io.glowspark.flow.GlowSpec;
import io.glowspark.flow.InvertibleConv1x1;
import io.glowspark.flow.LuConv1x1;
import io.glowspark.flow.SingleBijectorModel;

/** The Glow layer with its model swapped for one bijector under a standard normal prior. */
public class SingleBijectorLayerConfig extends GlowLayerConfig {

    /** The bijectors with parameters (channel reversal and squeeze have none for a gradient check to vary). */
    public enum Kind { ACT_NORM, LU_CONV, PLAIN_CONV, AFFINE_COUPLING, AFFINE_COUPLING_GLOW_CONDITIONER, ADDITIVE_COUPLING,
        ADDITIVE_COUPLING_GLOW_CONDITIONER }

    private Kind kind;

    public SingleBijectorLayerConfig() {
    }

    SingleBijectorLayerConfig(Kind kind, int channels, int size) {
        super(new GlowSpec(channels, size, size, 1, 1, 3, GlowSpec.Coupling.AFFINE, GlowSpec.Permutation.LU,
                GlowSpec.Conditioner.PLAIN, 8));
        this.kind = kind;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    @Override
    public DensityModel buildModel() {
        int c = getChannels();
        Bijector b = switch (kind) {
            case ACT_NORM -> new ActNorm("b", c);
            case LU_CONV -> new LuConv1x1("b", c);
            case PLAIN_CONV -> new InvertibleConv1x1("b", c);
            case AFFINE_COUPLING -> new AffineCoupling("b", c, 3, GlowSpec.Conditioner.PLAIN);
            case AFFINE_COUPLING_GLOW_CONDITIONER -> new AffineCoupling("b", c, 3, GlowSpec.Conditioner.GLOW);
            case ADDITIVE_COUPLING -> new AdditiveCoupling("b", c, 3, GlowSpec.Conditioner.PLAIN);
            case ADDITIVE_COUPLING_GLOW_CONDITIONER -> new AdditiveCoupling("b", c, 3, GlowSpec.Conditioner.GLOW);
        };
        return new SingleBijectorModel(b, getNBits());
    }
}
