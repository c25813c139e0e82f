package dev.autogaze.video;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.hadoop.fs.FSDataInputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each file of a tar archive lies, found by reading the 512-byte headers only and hopping over the data with
 * positioned reads, so indexing a 1 GB shard on an object store costs one small read per member, not the shard.
 * Headers are parsed by commons-compress (ustar, GNU long names, PAX paths and sizes); the data is never read.
 * A damaged or cut archive does not throw: the members before the damage come back with {@link #problem}.
 */
public record TarIndex(List<Member> members, String problem) {

    /** A regular file of the archive: its name and where its bytes are. */
    public record Member(String name, long offset, long size) implements EmbeddedVideo {
    }

    private static final int BLOCK = 512;

    public TarIndex {
        members = List.copyOf(members);
    }

    /**
     * Indexes the archive in {@code in} ({@code length} bytes). {@link #problem} tells a truncated archive (a
     * header or a member's data past the end, or no end-of-archive blocks) or a damaged header; members wholly
     * inside the file before that point are listed.
     */
    public static TarIndex read(FSDataInputStream in, long length) throws IOException {
        List<Member> members = new ArrayList<>();
        byte[] header = new byte[BLOCK];
        long pos = 0;
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        while (true) {
            if (pos + BLOCK > length) {
                return new TarIndex(members, pos == length
                        ? "ends after " + members.size() + " members without the end-of-archive blocks (truncated?)"
                        : "is truncated: a header at byte " + pos + " runs past the end (" + length + " bytes)");
            }
            in.readFully(pos, header);
            if (isZero(header)) {
                return new TarIndex(members, null); // end of archive (the second zero block is not required)
            }
            if (!TarUtils.verifyCheckSum(header)) {
                return new TarIndex(members, "has a damaged header at byte " + pos + " (checksum mismatch)");
            }
            TarArchiveEntry e;
            try {
                e = new TarArchiveEntry(header);
            } catch (IllegalArgumentException bad) {
                return new TarIndex(members, "has an unreadable header at byte " + pos + ": "
                        + OneLine.printable(bad.getMessage()));
            }
            long size = paxSize != null ? paxSize : e.getSize();
            long data = pos + BLOCK;
            if (size < 0 || data + size > length) {
                return new TarIndex(members, "is truncated: member " + OneLine.printable(name(e, longName, paxPath))
                        + " needs bytes " + data + ".." + (data + size) + " but the file ends at " + length);
            }
            if (e.isGNULongNameEntry()) {
                longName = text(in, data, size).replaceAll("\0+$", "");
            } else if (e.isPaxHeader()) {
                String[] pax = pax(text(in, data, size));
                paxPath = pax[0];
                paxSize = pax[1] == null ? null : Long.parseLong(pax[1]);
            } else if (e.isGlobalPaxHeader()) {
                // applies to later members; webdataset writers put nothing there that moves a member
            } else {
                if (e.isFile()) {
                    members.add(new Member(name(e, longName, paxPath), data, size));
                }
                longName = null;
                paxPath = null;
                paxSize = null;
            }
            pos = data + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
    }

    /** Reads a member's bytes (for small members: JSON and text files). */
    public static byte[] bytes(FSDataInputStream in, Member m, int maxBytes) throws IOException {
        if (m.size() > maxBytes) {
            throw new IOException("member " + m.name() + " has " + m.size() + " bytes, more than " + maxBytes);
        }
        byte[] b = new byte[(int) m.size()];
        in.readFully(m.offset(), b);
        return b;
    }

    private static String name(TarArchiveEntry e, String longName, String paxPath) {
        return paxPath != null ? paxPath : longName != null ? longName : e.getName();
    }

    private static String text(FSDataInputStream in, long offset, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extension header at byte " + offset + " has " + size + " bytes");
        }
        byte[] b = new byte[(int) size];
        in.readFully(offset, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {path, size} of a PAX extended header's "LEN key=value\n" records (null where absent). */
    private static String[] pax(String records) {
        String[] r = new String[2];
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            int eq = line.indexOf('=', sp + 1);
            if (sp < 0 || eq < 0) {
                continue;
            }
            String key = line.substring(sp + 1, eq);
            if (key.equals("path")) {
                r[0] = line.substring(eq + 1);
            } else if (key.equals("size")) {
                r[1] = line.substring(eq + 1);
            }
        }
        return r;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
