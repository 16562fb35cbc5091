/** A read-only shared memory map of `length` bytes of the open file `fd` from `offset` (a multiple of `pageSize`). Unmapped when collected. */
export function map(fd: number, offset: number, length: number): Buffer;
/**
 * Drops the process's page table entries for the whole pages of `buffer[from, to)`; `buffer` must come from `map`.
 * The Buffer stays valid (its pages map back in when touched); only the resident size shrinks.
 */
export function release(buffer: Buffer, from: number, to: number): void;
export const pageSize: number;
