package io.glowspark.data;

/** The two IDX file kinds MNIST uses: unsigned bytes with 3 dimensions (images) or 1 dimension (labels). */
public enum IdxKind {
    IMAGES(0x00000803, "IDX images"),
    LABELS(0x00000801, "IDX labels");

    private final int magic;
    private final String description;

    IdxKind(int magic, String description) {
        this.magic = magic;
        this.description = description;
    }

    public int magic() {
        return magic;
    }

    /** Dimensions after the item count: rows and columns for images, none for labels. */
    public int itemDimensions() {
        return (magic & 0xff) - 1;
    }

    /** Magic number plus one 4-byte size per dimension. */
    public int headerBytes() {
        return 4 + 4 * (itemDimensions() + 1);
    }

    public String description() {
        return description;
    }
}
