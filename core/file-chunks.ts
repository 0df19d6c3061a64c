/**
 * A file's bytes in chunks, read into one buffer that is reused: each chunk is valid only until
 * the loop asks for the next (copy what must outlive it). The ingest reads every extract in full
 * for its hash and its line checks; `createReadStream` hands out a freshly allocated 4 MiB buffer
 * per chunk, and those allocations cost more than the reading: scale 1's polis.csv (472 MB)
 * streams in 0.42-0.59 s that way and in 0.04-0.05 s into one reused buffer.
 */
import { open } from "node:fs/promises";

export const CHUNK_BYTES = 4 << 20;

export async function* fileChunks(path: string, size = CHUNK_BYTES): AsyncGenerator<Buffer, void, undefined> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
