import { SECRET_MASK } from "@/server/targets/target-config-schemas.ts";

export { SECRET_MASK };

export function hasMask(value: string): boolean {
  return value.includes(SECRET_MASK);
}
