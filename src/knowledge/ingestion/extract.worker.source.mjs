// The reader thread's entry when Lore runs from TypeScript source (npm start, tests): threads do not inherit
// the tsx loader, so this registers it before loading the real entry. Built code (dist/) loads extract.worker.js.
import { register } from 'tsx/esm/api';

register();
const { default: readDocument } = await import('./extract.worker.ts');
export default readDocument;
