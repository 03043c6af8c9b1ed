// The browser-test server's preload, on its main thread only. Worker threads (the values merge) inherit the
// server's --import flags, and in a worker tsx's hooks are not in place before the next --import: the double is
// only needed where AWS calls are made, the main thread.
import { isMainThread } from "node:worker_threads";

if (isMainThread) await import("./preload.ts");
