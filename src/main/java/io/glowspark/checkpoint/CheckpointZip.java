package io.glowspark.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.Path;

/**
 * The checkpoint file format: a zip with {@code metadata.json} (first, so it can be read alone), {@code model.zip}
 * and {@code polyak-parameters.bin}, the Polyak average of the parameters (absent in checkpoints of older versions).
 * Reading validates structure and CRCs and only parses JSON; nothing is extracted to disk or executed.
 */
final class CheckpointZip {

    static final String METADATA_ENTRY = "metadata.json";
    static final String MODEL_ENTRY = "model.zip";
    static final String POLYAK_ENTRY = "polyak-parameters.bin";
    private static final int MAX_METADATA_BYTES = 1 << 20;
    private static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 16;

    private CheckpointZip() {
    }

    static void write(OutputStream out, CheckpointMetadata metadata, ModelWriter model, ModelWriter polyakParameters)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED); // the DL4J model is itself a zip: little to gain from harder compression
        zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
        zip.write(Json.write(metadata));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(MODEL_ENTRY));
        model.write(NonClosingOutputStream.wrap(zip));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(POLYAK_ENTRY));
        polyakParameters.write(NonClosingOutputStream.wrap(zip));
        zip.closeEntry();
        zip.finish();
    }

    /** Reads a checkpoint; with {@code withModel == false} stops after the metadata and returns no model bytes. */
    static Checkpoint read(Path path, InputStream in, boolean withModel) throws IOException {
        String file = path.toString();
        CheckpointMetadata metadata = null;
        byte[] model = null;
        byte[] polyak = null;
        try {
            ZipInputStream zip = new ZipInputStream(in);
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                requireSafeName(file, name);
                if (name.equals(METADATA_ENTRY) && metadata == null) {
                    metadata = parseMetadata(file, readLimited(file, zip, name, MAX_METADATA_BYTES));
                    if (!withModel) {
                        return new Checkpoint(path.getName(), metadata, new byte[0], null);
                    }
                } else if (name.equals(MODEL_ENTRY) && model == null) {
                    model = readLimited(file, zip, name, MAX_MODEL_BYTES);
                } else if (name.equals(POLYAK_ENTRY) && polyak == null) {
                    polyak = readLimited(file, zip, name, MAX_MODEL_BYTES);
                } else {
                    throw new CheckpointException(file, "unexpected or duplicate zip entry '" + name + "'");
                }
            }
        } catch (ZipException | EOFException | ChecksumException e) {
            if (FileSystemFaults.isUnavailability(e)) {
                throw e; // an RPC cut off mid-read ends in an EOFException too: the file system failed, not the file
            }
            throw new CheckpointException(file, "truncated or corrupted zip (" + e.getMessage() + ")", e);
        } // any other IOException is the file system failing, not the checkpoint: the caller must not fall back
        if (metadata == null) {
            throw new CheckpointException(file, "no " + METADATA_ENTRY + " entry (not a checkpoint, or truncated)");
        }
        if (model == null) {
            throw new CheckpointException(file, "no " + MODEL_ENTRY + " entry (truncated?)");
        }
        return new Checkpoint(path.getName(), metadata, model, polyak);
    }

    private static void requireSafeName(String file, String name) throws CheckpointException {
        String n = name.replace('\\', '/');
        boolean unsafe = n.isEmpty() || n.startsWith("/") || n.contains(":")
                || n.equals("..") || n.startsWith("../") || n.endsWith("/..") || n.contains("/../");
        if (unsafe) {
            throw new CheckpointException(file, "rejected zip entry with an unsafe path '" + name + "'");
        }
    }

    private static CheckpointMetadata parseMetadata(String file, byte[] json) throws CheckpointException {
        try {
            return Json.read(json, CheckpointMetadata.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new CheckpointException(file, "invalid " + METADATA_ENTRY + " (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readLimited(String file, InputStream in, String entry, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (out.size() > limit - n) {
                throw new CheckpointException(file, "entry " + entry + " is larger than " + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
