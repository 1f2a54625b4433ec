// Host side of the firmware's inference-request frames (docs/firmware-serial.md; device side in
// firmware/common/serial-app). Request: A5 len:u16 input crc:u16. Reply: 5A status:u8 len:u16
// output cycles:u32 crc:u16. Little-endian; CRC-16/CCITT-FALSE over everything between the
// magic and the CRC.

export const REQUEST_MAGIC = 0xa5;
export const REPLY_MAGIC = 0x5a;

/** Reply status codes, as firmware/common/serial-app/serial_app.h defines them. */
export const ReplyStatus = { OK: 0, BAD_CRC: 1, TOO_LONG: 2, INFER_FAILED: 3 } as const;

export interface InferReply {
  status: number;
  output: Uint8Array;
  /** CPU cycles app_infer() took, as the device counted them (wraps at 2^32). */
  cycles: number;
}

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor. */
export function crc16CcittFalse(bytes: Uint8Array, crc = 0xffff): number {
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

export function encodeInferRequest(input: Uint8Array): Uint8Array {
  if (input.length > 0xffff) throw new Error(`inference request: input of ${input.length} bytes exceeds 65535`);
  const frame = new Uint8Array(input.length + 5);
  frame[0] = REQUEST_MAGIC;
  frame[1] = input.length & 0xff;
  frame[2] = input.length >> 8;
  frame.set(input, 3);
  const crc = crc16CcittFalse(frame.subarray(1, 3 + input.length));
  frame[3 + input.length] = crc & 0xff;
  frame[4 + input.length] = crc >> 8;
  return frame;
}

/**
 * Reassembles replies from a byte stream that arrives in arbitrary pieces. Bytes before a reply
 * magic are skipped (boot noise); a reply whose CRC fails throws, naming both CRCs.
 */
export class InferReplyParser {
  private buffer = new Uint8Array(0);

  /** Appends bytes and returns every reply now complete. */
  push(chunk: Uint8Array): InferReply[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    let data = joined;
    const replies: InferReply[] = [];
    for (;;) {
      const start = data.indexOf(REPLY_MAGIC);
      if (start < 0) {
        data = data.subarray(data.length);
        break;
      }
      data = data.subarray(start);
      if (data.length < 4) break;
      const outLen = data[2] | (data[3] << 8);
      const total = 1 + 1 + 2 + outLen + 4 + 2;
      if (data.length < total) break;
      const body = data.subarray(1, total - 2);
      const sent = data[total - 2] | (data[total - 1] << 8);
      const computed = crc16CcittFalse(body);
      if (sent !== computed) {
        throw new Error(
          `inference reply: CRC 0x${sent.toString(16).padStart(4, '0')} does not match the ` +
            `computed 0x${computed.toString(16).padStart(4, '0')} (${total} bytes)`,
        );
      }
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      replies.push({
        status: body[0],
        output: body.slice(3, 3 + outLen),
        cycles: view.getUint32(3 + outLen, true),
      });
      data = data.subarray(total);
    }
    this.buffer = data.slice();
    return replies;
  }
}
