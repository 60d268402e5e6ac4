package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.qapi4j.vmm.machine.device.Disk;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.Board;

/** The booted kvstore's handling of one NIC frame: a request in, exactly one answer out. */
final class KvstoreService {
    private KvstoreService() {}

    static void handle(Board board, NicFrame frame) {
        GuestRam ram = board.ram();
        switch (frame.kind()) {
            case OPENED -> ram.writeLong(H_CONNECTIONS, ram.readLong(H_CONNECTIONS) + 1);
            case CLOSED -> ram.writeLong(H_CONNECTIONS, Math.max(0, ram.readLong(H_CONNECTIONS) - 1));
            case LINE_TOO_LONG -> {
                board.serial().writeLine("kvstore: connection " + frame.connection() + " sent a line over "
                        + Nic.MAX_LINE + " bytes; dropped it");
                answer(board, frame, text("ERR line too long"));
            }
            case LINE -> answer(board, frame, execute(board, KvstoreRequest.parse(frame.line())));
        }
    }

    private static byte[] execute(Board board, KvstoreRequest request) {
        GuestRam ram = board.ram();
        if (ram.readInt(H_STATE) == FAILED) {
            return text("ERR store unavailable");
        }
        if (request instanceof KvstoreRequest.Put put) {
            try {
                return put(board, put);
            } catch (IOException e) {
                KvstoreBoot.fail(board, "disk error on a write: " + e.getMessage());
                return text("ERR store unavailable");
            }
        }
        if (request instanceof KvstoreRequest.Get get) {
            KeyTable table = new KeyTable(ram);
            int slot = table.find(get.key());
            return slot >= 0 ? value(table.seq(slot), table.value(slot)) : text("NONE");
        }
        if (request instanceof KvstoreRequest.Plain plain) {
            return switch (plain.command()) {
                case "TIME" -> text("TIME " + board.clock().nanos());
                case "RAND" -> text(String.format("RAND %016x", board.entropy().nextLong()));
                case "STATS" -> text("STATS keys=" + ram.readLong(H_KEYS) + " capacity=" + ram.readInt(H_CAPACITY)
                        + " seq=" + (ram.readLong(H_NEXT_SEQ) - 1) + " connections=" + ram.readLong(H_CONNECTIONS));
                default -> text("PONG");
            };
        }
        return text("ERR " + ((KvstoreRequest.Invalid) request).reason());
    }

    private static byte[] put(Board board, KvstoreRequest.Put put) throws IOException {
        GuestRam ram = board.ram();
        RequestIdLog ids = new RequestIdLog(ram);
        long contentHash = RequestIdLog.contentHash(put.key(), put.value());
        long earlier = ids.find(put.requestId());
        if (earlier >= 0) {
            return RequestIdLog.contentHash(ram, earlier) == contentHash ? text("OK " + RequestIdLog.seq(ram, earlier))
                    : text("ERR request id already used for a different write");
        }
        KeyTable table = new KeyTable(ram);
        int slot = table.find(put.key());
        if (slot == Integer.MIN_VALUE) {
            return text("ERR store full");
        }
        if (slot < 0) {
            slot = -slot - 1;
            ram.writeLong(H_KEYS, ram.readLong(H_KEYS) + 1);
        }
        long seq = ram.readLong(H_NEXT_SEQ);
        table.store(slot, put.key(), put.value(), seq);
        long entry = ids.record(seq, put.requestId(), contentHash);
        ram.writeLong(H_NEXT_SEQ, seq + 1);
        Disk disk = board.disk();
        if (disk != null) {
            // RAM and disk share their layout from 4096 on: write the slot and the log's sector back.
            disk.write(KeyTable.address(slot), KeyTable.address(slot), SLOT);
            long sector = entry & ~(long) (SECTOR - 1);
            disk.write(sector, sector, SECTOR);
        }
        return text("OK " + seq);
    }

    private static void answer(Board board, NicFrame frame, byte[] answer) {
        board.nic().transmit(frame.connection(), answer);
    }

    private static byte[] value(long seq, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(24 + value.length);
        out.writeBytes(("VALUE " + seq + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] text(String answer) {
        return answer.getBytes(StandardCharsets.US_ASCII);
    }
}
