package io.glowspark.checkpoint;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets callback code close "its" stream without closing the file or zip entry underneath. */
final class NonClosingOutputStream extends FilterOutputStream {

    private NonClosingOutputStream(OutputStream out) {
        super(out);
    }

    static OutputStream wrap(OutputStream out) {
        return new NonClosingOutputStream(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
