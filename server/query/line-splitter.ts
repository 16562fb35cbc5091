/**
 * Reassembles newline-delimited records from Records payloads: the runner cuts
 * payloads at a size, not at record ends, so a record (even a UTF-8
 * character) may span two messages. Bytes are kept until their newline.
 */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const lines: string[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
      if (nl > start) lines.push(bytes.toString("utf8", start, nl));
      start = nl + 1;
    }
    this.carry = Buffer.from(bytes.subarray(start));
    return lines;
  }

  /** What is left after the last newline (a final record without one). */
  end(): string[] {
    const rest = this.carry.toString("utf8");
    this.carry = Buffer.alloc(0);
    return rest === "" ? [] : [rest];
  }
}
