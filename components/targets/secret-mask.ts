/**
 * How the server shows a stored secret; sending it back unchanged keeps the
 * stored value. Mirrors SECRET_MASK in server/targets/target-registry.ts,
 * which the browser cannot import (it pulls in the target implementations).
 */
export const SECRET_MASK = "********";

export function hasMask(value: string): boolean {
  return value.includes(SECRET_MASK);
}
