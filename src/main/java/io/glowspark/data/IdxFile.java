package io.glowspark.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A validated IDX file on any Hadoop file system, raw or gzipped (name ending in .gz).
 * Opening reads and checks the header and the file's size (decompressing a gzipped file once, as a stream);
 * {@link #openAt} positions a stream at an item for byte-range reads.
 */
public record IdxFile(URI uri, IdxHeader header) implements Serializable {

    static final String GZIP_SUFFIX = ".gz";

    public boolean gzipped() {
        return gzipped(uri);
    }

    private static boolean gzipped(URI uri) {
        return uri.getPath().endsWith(GZIP_SUFFIX);
    }

    /** Finds {@code name} or {@code name.gz} in {@code dir} and validates its header. */
    public static IdxFile find(URI dir, String name, IdxKind kind, Configuration conf) {
        Path raw = new Path(new Path(dir), name);
        Path gz = raw.suffix(GZIP_SUFFIX);
        try {
            FileSystem fs = raw.getFileSystem(conf);
            Path found = fs.exists(raw) ? raw : fs.exists(gz) ? gz : null;
            if (found == null) {
                throw DataException.of(fs.makeQualified(raw).toUri(), "file not found (nor " + gz.getName() + ")");
            }
            return open(fs.makeQualified(found).toUri(), kind, conf);
        } catch (IOException e) {
            throw DataException.of(raw.toUri(), "cannot access: " + e, e);
        }
    }

    /**
     * Reads and validates the header of the file at {@code uri} and checks the size the header implies against the
     * file's: its length, or for a gzipped file the length of its decompressed content.
     */
    public static IdxFile open(URI uri, IdxKind kind, Configuration conf) {
        Path path = new Path(uri);
        FileStatus status;
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw DataException.of(uri, "file not found");
        } catch (IOException e) {
            throw DataException.of(uri, "cannot access: " + e, e);
        }
        if (status.isDirectory()) {
            throw DataException.of(uri, "is a directory, expected an " + kind.description() + " file");
        }
        if (status.getLen() == 0) {
            throw DataException.of(uri, "empty file, expected " + kind.description());
        }
        IdxHeader header;
        long size;
        try (InputStream in = decompressed(uri, fs.open(path))) {
            header = IdxHeader.read(in, kind, uri);
            // A gzipped file's size is known only by decompressing it: streamed through, never held in memory.
            size = gzipped(uri) ? kind.headerBytes() + in.transferTo(OutputStream.nullOutputStream()) : status.getLen();
        } catch (IOException e) {
            throw readFailure(uri, e);
        }
        if (size != header.fileBytes()) {
            throw DataException.of(uri, String.format("%s: file has %d bytes%s, header (%d items of %s) implies %d",
                    size < header.fileBytes() ? "truncated" : "trailing bytes", size,
                    gzipped(uri) ? " decompressed" : "", header.count(), header.itemDims(), header.fileBytes()));
        }
        return new IdxFile(uri, header);
    }

    /**
     * A stream positioned at item {@code index}: a seek for raw files, decompress-and-skip for gzipped ones.
     * Callers read with {@link #readFully}, which turns a premature end into a "truncated" error.
     */
    public InputStream openAt(long index, Configuration conf) {
        long offset = header.kind().headerBytes() + index * header.itemBytes();
        Path path = new Path(uri);
        FSDataInputStream raw;
        try {
            raw = path.getFileSystem(conf).open(path);
        } catch (IOException e) { // nothing of the file was read: never its end, whatever the file system says
            throw DataException.of(uri, "cannot open: " + e, e);
        }
        try {
            if (!gzipped()) {
                raw.seek(offset);
                return new BufferedInputStream(raw, 1 << 16);
            }
            InputStream in = decompressed(uri, raw);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        } catch (IOException e) {
            throw readFailure(uri, e);
        }
    }

    /** Fills {@code buffer} from {@code in}, reporting a premature end as truncation of this file. */
    public void readFully(InputStream in, byte[] buffer) {
        readFully(in, buffer, buffer.length);
    }

    /** Reads the first {@code length} bytes of {@code buffer} from {@code in}, as {@link #readFully(InputStream, byte[])}. */
    public void readFully(InputStream in, byte[] buffer, int length) {
        try {
            if (in.readNBytes(buffer, 0, length) < length) {
                throw new EOFException();
            }
        } catch (IOException e) {
            throw readFailure(uri, e);
        }
    }

    private static InputStream decompressed(URI uri, InputStream in) throws IOException {
        if (!gzipped(uri)) {
            return in;
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static DataException readFailure(URI uri, IOException e) {
        if (e instanceof EOFException) {
            return DataException.of(uri, "truncated: ended before the size its header declares", e);
        }
        if (e instanceof ZipException) {
            return DataException.of(uri, "not a valid gzip file: " + e.getMessage(), e);
        }
        return DataException.of(uri, "cannot read: " + e, e);
    }
}
