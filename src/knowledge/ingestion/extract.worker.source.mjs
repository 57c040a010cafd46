// The reader thread's entry when Lore runs from TypeScript source (npm start, tests): threads do not inherit
// the tsx loader, so this registers it before loading the real entry. Built code (dist/) loads extract.worker.js.
// No top-level await: piscina loads its entry with require() first, and Node 20's require() of an ES module
// whose graph is async throws (piscina then imports it) or, racing the import, aborts the process (CI saw
// "FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module" in a test worker). The real
// entry is imported on the first task instead.
import { register } from 'tsx/esm/api';

register();
let read;
export default async function readDocument(request) {
  read ??= (await import('./extract.worker.ts')).default;
  return read(request);
}
