declare module "unbzip2-stream" {
  import type { Duplex } from "node:stream";
  /** A classic `through` stream: write bzip2 bytes, read the decompressed bytes. */
  function unbzip2Stream(): Duplex;
  export default unbzip2Stream;
}
