// Worker threads start without the parent's module hooks, so the commit
// thread registers tsx itself before loading its TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./commit-worker.ts");
