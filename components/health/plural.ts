import { formatCount } from "@/components/ui/format.ts";

/** "1 dead letter", "12 dead letters". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
