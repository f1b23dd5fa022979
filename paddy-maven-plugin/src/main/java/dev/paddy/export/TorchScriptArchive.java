package dev.paddy.export;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive, the zip {@code torch.jit.save} writes and {@code torch.jit.load}
 * (or DJL's PyTorch engine) reads without any class of the program that wrote it: under one
 * folder, {@code version}, the module's TorchScript source in {@code code/__torch__/...}, which
 * libtorch compiles when it loads, {@code data.pkl} pickling the module object with its tensors as
 * persistent ids of {@code data/<key>} records (raw little-endian floats), and
 * {@code constants.pkl}. The layout is torch's own (torch/csrc/jit/serialization/export_module.cpp,
 * import.cpp), checked against a file written by PyTorch 1.13: stored entries, tensor data aligned
 * to 64 bytes.
 *
 * <p>One module class, flat: its tensors are attributes, and at most one submodule, a TorchScript
 * archive of its own (a user's pretrained body) copied in whole: its code, its storages and its
 * constants beside the module's, its pickled object spliced into the module's attribute dict.
 */
final class TorchScriptArchive {
    /** The file format version torch 1.13 writes; libtorch 2.5 reads it. */
    private static final String VERSION = "3";
    private static final int ALIGNMENT = 64;
    private static final LocalDateTime EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** A tensor attribute; {@code parameter} false for a buffer (BatchNorm's running statistics). */
    record Tensor(String name, long[] shape, float[] values, boolean parameter) {}

    /** A submodule attribute whose content is another TorchScript archive. */
    record Submodule(String name, byte[] archive) {}

    private final String folder;
    private final String module;
    private final String className;
    private final String source;
    private final List<Tensor> tensors;
    private final Submodule submodule;

    /**
     * @param folder the archive's top folder (torch names it after the file)
     * @param module the Python-style module of the class under {@code __torch__}, e.g. {@code paddy_export}
     * @param className the class, whose source {@code source} defines
     */
    TorchScriptArchive(String folder, String module, String className, String source, List<Tensor> tensors,
                       Submodule submodule) {
        this.folder = folder;
        this.module = module;
        this.className = className;
        this.source = source;
        this.tensors = List.copyOf(tensors);
        this.submodule = submodule;
    }

    void write(OutputStream target) throws IOException {
        Counting counting = new Counting(target);
        ZipOutputStream zip = new ZipOutputStream(counting);
        Map<String, byte[]> embedded = submodule == null ? Map.of() : entries(submodule.archive());
        for (int i = 0; i < tensors.size(); i++) {
            put(zip, counting, "data/" + key(i), littleEndian(tensors.get(i).values()));
        }
        byte[] bodyPickle = null;
        byte[] constants = new Pickle().protocol2().emptyTuple().stop();
        for (Map.Entry<String, byte[]> e : embedded.entrySet()) {
            String name = e.getKey();
            if (name.equals("data.pkl")) {
                bodyPickle = e.getValue();
            } else if (name.equals("constants.pkl")) {
                constants = e.getValue();
            } else if (!name.equals("version") && !name.equals(".data/version")) {
                put(zip, counting, name, e.getValue());
            }
        }
        put(zip, counting, "data.pkl", dataPickle(bodyPickle));
        put(zip, counting, "code/__torch__/" + module.replace('.', '/') + ".py", source.getBytes(StandardCharsets.UTF_8));
        put(zip, counting, "constants.pkl", constants);
        put(zip, counting, "version", (VERSION + "\n").getBytes(StandardCharsets.UTF_8));
        zip.finish();
        zip.flush();
    }

    /** The key of tensor {@code i}'s storage: apart from any key of an embedded body (torch numbers them 0, 1, ...). */
    private static String key(int i) {
        return "paddy" + i;
    }

    private byte[] dataPickle(byte[] bodyPickle) throws IOException {
        Pickle p = new Pickle().protocol2().global("__torch__." + module, className).emptyTuple().newObject()
                .emptyDict().mark();
        for (int i = 0; i < tensors.size(); i++) {
            p.string(tensors.get(i).name()).floatTensor(key(i), tensors.get(i).shape());
        }
        if (bodyPickle != null) {
            p.string(submodule.name()).raw(opcodes(bodyPickle));
        }
        p.string("training").bool(false);
        return p.setItems().build().stop();
    }

    /** A protocol-2 pickle's opcodes without its header and its final STOP. */
    private static byte[] opcodes(byte[] pickle) throws IOException {
        if (pickle.length < 3 || (pickle[0] & 0xff) != 0x80 || pickle[1] != 2 || pickle[pickle.length - 1] != '.') {
            throw new IOException("the embedded TorchScript module's data.pkl is not a protocol-2 pickle");
        }
        byte[] out = new byte[pickle.length - 3];
        System.arraycopy(pickle, 2, out, 0, out.length);
        return out;
    }

    /**
     * The class of the object an embedded archive's {@code data.pkl} pickles, as TorchScript names
     * it ({@code __torch__.SpatialBody}): its first opcode is that class's GLOBAL.
     */
    static String rootClass(byte[] archive) throws IOException {
        byte[] pickle = entries(archive).get("data.pkl");
        if (pickle == null || pickle.length < 4 || pickle[2] != 'c') {
            throw new IOException("the embedded TorchScript module has no data.pkl naming its class");
        }
        String text = new String(pickle, 3, Math.min(pickle.length - 3, 4096), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", 3);
        return lines[0] + "." + lines[1];
    }

    /**
     * An archive's records by their name under its top folder, in archive order. Read through its
     * central directory ({@link ZipFile}): libtorch's writer gives stored records data descriptors,
     * which {@code ZipInputStream} refuses.
     */
    private static Map<String, byte[]> entries(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Path file = Files.createTempFile("paddy-body", ".pt");
        try {
            Files.write(file, archive);
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                    ZipEntry e = all.nextElement();
                    String name = e.getName();
                    int slash = name.indexOf('/');
                    if (!e.isDirectory() && slash > 0) {
                        try (InputStream in = zip.getInputStream(e)) {
                            entries.put(name.substring(slash + 1), in.readAllBytes());
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return entries;
    }

    /** A stored (uncompressed) record whose data starts at a multiple of 64 bytes, as torch writes them. */
    private void put(ZipOutputStream zip, Counting counting, String name, byte[] data) throws IOException {
        String full = folder + "/" + name;
        ZipEntry entry = new ZipEntry(full);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(EPOCH);
        long headerEnd = counting.count + 30 + full.getBytes(StandardCharsets.UTF_8).length;
        int pad = (int) ((ALIGNMENT - (headerEnd + 4) % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + pad]; // header id 'FB' as torch's writer, then padding
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) (pad & 0xff);
        extra[3] = (byte) (pad >>> 8);
        entry.setExtra(extra);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /** Counts the bytes written, to place each record's data. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    static byte[] toBytes(TorchScriptArchive archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.write(out);
        return out.toByteArray();
    }

    static List<String> names(List<Tensor> tensors, boolean parameters) {
        List<String> names = new ArrayList<>();
        for (Tensor t : tensors) {
            if (t.parameter() == parameters) {
                names.add(t.name());
            }
        }
        return names;
    }
}
