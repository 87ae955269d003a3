package io.glowspark.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;

/**
 * The header of an IDX file: magic number, item count and the dimensions of one item (empty for labels).
 *
 * @param kind      images or labels
 * @param count     number of items
 * @param itemDims  size of each item dimension, e.g. [28, 28]
 */
public record IdxHeader(IdxKind kind, int count, List<Integer> itemDims) implements Serializable {

    public IdxHeader {
        itemDims = List.copyOf(itemDims);
    }

    /** Bytes of one item: rows * cols for images, 1 for labels. */
    public long itemBytes() {
        long n = 1;
        for (int d : itemDims) {
            n *= d;
        }
        return n;
    }

    /** The exact size an uncompressed file with this header has. */
    public long fileBytes() {
        return kind.headerBytes() + count * itemBytes();
    }

    /** Reads and checks the header from the start of an (uncompressed) IDX stream; {@code file} names it in errors. */
    public static IdxHeader read(InputStream in, IdxKind kind, Object file) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw DataException.of(file, "truncated: shorter than the 4-byte magic number");
        }
        if (magic != kind.magic()) {
            throw DataException.of(file, String.format("wrong magic number 0x%08x, expected 0x%08x (%s)",
                    magic, kind.magic(), kind.description()));
        }
        int[] sizes = new int[kind.itemDimensions() + 1];
        try {
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = data.readInt();
            }
        } catch (EOFException e) {
            throw DataException.of(file, "truncated: header needs " + kind.headerBytes() + " bytes");
        }
        if (sizes[0] < 0) {
            throw DataException.of(file, "negative item count " + sizes[0]);
        }
        Integer[] dims = new Integer[sizes.length - 1];
        for (int i = 1; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw DataException.of(file, "dimension " + i + " has size " + sizes[i] + ", expected >= 1");
            }
            dims[i - 1] = sizes[i];
        }
        return new IdxHeader(kind, sizes[0], List.of(dims));
    }
}
