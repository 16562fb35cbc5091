/**
 * What a kafkajs failure means for Herald: a message an operator can act on,
 * whether the queue should retry, and whether the connection is suspect (so
 * the next attempt builds a fresh producer instead of reusing a dead one).
 */
export interface KafkaFailure {
  message: string;
  retryable: boolean;
  connectionLost: boolean;
}

/**
 * Broker answers that sending the same batch again cannot fix. An unknown
 * topic is not one of them (creating the topic fixes it). Topic authorization
 * is: Kafka itself treats it as final, and dead-lettered events can be
 * retried from the console once the ACL is fixed.
 */
const FINAL_PROTOCOL_ERRORS = new Set([
  "MESSAGE_TOO_LARGE",
  "RECORD_LIST_TOO_LARGE",
  "INVALID_RECORD",
  "INVALID_TOPIC_EXCEPTION",
  "INVALID_REQUIRED_ACKS",
  "TOPIC_AUTHORIZATION_FAILED",
  "UNSUPPORTED_COMPRESSION_TYPE",
  "UNSUPPORTED_FOR_MESSAGE_FORMAT",
]);

const CONNECTION_ERRORS = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNoBrokerAvailableError",
  "KafkaJSLockTimeout",
]);

interface KafkaJsErrorShape {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
}

/** kafkajs wraps the broker's answer in retry errors; the one with a protocol type says what the broker said. */
function chain(error: unknown): KafkaJsErrorShape[] {
  const out: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && out.length < 10 && !out.includes(current as KafkaJsErrorShape)) {
    out.push(current as KafkaJsErrorShape);
    current = (current as KafkaJsErrorShape).cause;
  }
  return out;
}

export function describeKafkaError(error: unknown, topic: string): KafkaFailure {
  const errors = chain(error);
  // kafkajs's retry wrappers copy the inner message, and our own errors (TLS files) put the useful part outermost.
  const text = (errors[0]?.message ?? String(error)) || "unknown error";
  const sasl = errors.find((e) => e.name === "KafkaJSSASLAuthenticationError" || e.type === "SASL_AUTHENTICATION_FAILED");
  if (sasl) {
    // Retryable: the credentials are fixed on the broker or in the config, and the events wait for it.
    const detail = (sasl.message ?? "").replace(/^SASL \S+ authentication failed:?\s*/i, "");
    return { message: `kafka: SASL authentication failed${detail ? `: ${detail}` : ""}`, retryable: true, connectionLost: true };
  }
  const protocol = errors.find((e) => typeof e.type === "string");
  if (protocol?.type === "UNKNOWN_TOPIC_OR_PARTITION") {
    return { message: `kafka: topic ${JSON.stringify(topic)} does not exist (${text})`, retryable: true, connectionLost: false };
  }
  if (protocol?.type !== undefined && FINAL_PROTOCOL_ERRORS.has(protocol.type)) {
    return { message: `kafka: ${protocol.type}: ${protocol.message ?? text}`, retryable: false, connectionLost: false };
  }
  if (protocol?.type !== undefined) return { message: `kafka: ${protocol.type}: ${protocol.message ?? text}`, retryable: true, connectionLost: false };
  if (errors.some((e) => e.name !== undefined && CONNECTION_ERRORS.has(e.name))) {
    return { message: `kafka unavailable: ${text}`, retryable: true, connectionLost: true };
  }
  return { message: `kafka: ${text}`, retryable: true, connectionLost: true };
}
