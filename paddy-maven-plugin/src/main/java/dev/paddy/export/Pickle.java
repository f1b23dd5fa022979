package dev.paddy.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few pickle (protocol 2) opcodes a TorchScript {@code data.pkl} uses, as libtorch's own
 * pickler writes them (torch/csrc/jit/serialization/pickler.cpp): globals, tuples, a dict of
 * attributes built into an object, and tensors as {@code torch._utils._rebuild_tensor_v2} of a
 * persistent storage id. No memo: every object is written where it is used.
 */
final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle protocol2() {
        out.write(0x80);
        out.write(2);
        return this;
    }

    Pickle global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Pickle mark() {
        out.write('(');
        return this;
    }

    /** A tuple of everything since the last {@link #mark}. */
    Pickle tuple() {
        out.write('t');
        return this;
    }

    Pickle emptyTuple() {
        out.write(')');
        return this;
    }

    Pickle emptyDict() {
        out.write('}');
        return this;
    }

    /** {@code cls.__new__(cls, *args)} of the class and argument tuple on the stack. */
    Pickle newObject() {
        out.write(0x81);
        return this;
    }

    /** {@code callable(*args)} of the callable and argument tuple on the stack. */
    Pickle reduce() {
        out.write('R');
        return this;
    }

    /** Puts the key/value pairs since the last {@link #mark} into the dict below them. */
    Pickle setItems() {
        out.write('u');
        return this;
    }

    /** Sets the object's state (its attribute dict on top). */
    Pickle build() {
        out.write('b');
        return this;
    }

    Pickle persistentId() {
        out.write('Q');
        return this;
    }

    Pickle string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        int32(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    Pickle integer(long value) {
        if (value >= 0 && value < 256) {
            out.write('K');
            out.write((int) value);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            out.write('J');
            int32((int) value);
        } else {
            out.write(0x8a); // LONG1: 8 little-endian bytes
            out.write(8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
        }
        return this;
    }

    Pickle bool(boolean value) {
        out.write(value ? 0x88 : 0x89);
        return this;
    }

    Pickle longs(long[] values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /**
     * A contiguous float tensor whose data is the archive's record {@code data/<key>}, as
     * {@code torch._utils._rebuild_tensor_v2(storage, 0, shape, strides, False, OrderedDict())}.
     */
    Pickle floatTensor(String key, long[] shape) {
        long numel = 1;
        long[] strides = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = numel;
            numel *= shape[i];
        }
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(numel).tuple()
                .persistentId();
        integer(0).longs(shape).longs(strides).bool(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    /** Opcodes another pickler wrote (without their protocol header and stop), pushing one object. */
    Pickle raw(byte[] opcodes) {
        out.writeBytes(opcodes);
        return this;
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void int32(int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
