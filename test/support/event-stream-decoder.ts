// The decoder lives in production code now (the query console uses it); tests keep importing it from here.
export { decodeEventStream, decodeOneMessage, type DecodedMessage } from "../../server/s3/select/event-stream-decoder.ts";
