/**
 * BZIP2 inputs for the corpus (Node has no bzip2 encoder), made with `bzip2 -c`:
 * csv   = printf 'Name,City\nSam,Irvine\nJane,Chicago\nKate,Chicago\n' | bzip2 -c | base64
 * lines = printf '{"name":"Susan","n":1}\n{"name":"Mary","n":2}\n' | bzip2 -c | base64
 */
export const BZIP2_FIXTURES = {
  csv: Buffer.from("QlpoOTFBWSZTWQJOB2oAAAdXgAAQAAQIOQgAKuOVICAAISqbQmmT1M1NkKBpoZGTEwxCdNUKh8Kvqsfj4Y0bISZaTjpOL8F3JFOFCQAk4Hag", "base64"),
  lines: Buffer.from("QlpoOTFBWSZTWYYhXRkAABVfgAAQEAQwEAACCAAiAxoqIAAhKiMhjSeyhTTIxMTEZCg6MHoz47KlLCiSaXCrTkT4LuSKcKEhDEK6Mg==", "base64"),
};
